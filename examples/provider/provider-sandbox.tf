# Try a configuration against the pipe.solar sandbox first: a sandbox key
# (from the sandbox app's Settings → API Keys) and the sandbox base URL. The
# sandbox holds made-up projects with new ids only.
provider "pipesolar" {
  alias    = "sandbox"
  base_url = "https://staging-api.pipe.solar/v1"
  # api_token from PIPESOLAR_API_TOKEN, or a variable marked sensitive.
}

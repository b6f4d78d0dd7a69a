# Credentials usually come from the environment:
#   PIPESOLAR_API_TOKEN                  a Pipe API v1 company key, "psk_" + 40 hex
#                                        characters (pipe.solar: Settings → API Keys)
#   UPOWR_CLIENT_ID, UPOWR_CLIENT_SECRET UPowr client credentials
provider "pipesolar" {
  # api_token = "psk_..."  # better: PIPESOLAR_API_TOKEN

  # Default: https://api.pipe.solar/v1. The sandbox is just another base URL:
  # base_url = "https://staging-api.pipe.solar/v1"

  upowr = {
    # OAuth 2.0 client credentials; the secret comes from UPOWR_CLIENT_SECRET.
    client_id = "my-client-id"
    audience  = "https://api.core.upowr.cloud"
  }

  max_retries     = 4
  request_timeout = "30s"

  # 0 (the default) keeps under Pipe API v1's 100 calls a minute per key and
  # follows its Retry-After answers; leave it unless other jobs share the key.
  requests_per_second = 0

  # Large companies, nightly drift checks: refresh projects from one listing.
  # batch_refresh = true
}

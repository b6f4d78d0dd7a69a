# Credentials usually come from the environment:
#   PIPESOLAR_API_TOKEN, UPOWR_CLIENT_ID, UPOWR_CLIENT_SECRET
provider "pipesolar" {
  # pipe.solar: bearer token. Defaults to https://pipe.solar/api/1.1/wf.
  # api_token = "..."

  upowr = {
    # OAuth 2.0 client credentials; the secret comes from UPOWR_CLIENT_SECRET.
    client_id = "my-client-id"
    audience  = "https://api.core.upowr.cloud"
  }

  max_retries         = 4
  request_timeout     = "30s"
  requests_per_second = 10

  # Large orgs, nightly drift checks: read projects from their org's listing.
  # batch_refresh = true
}

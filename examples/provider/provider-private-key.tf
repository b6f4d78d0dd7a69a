# UPowr with a private key instead of a client secret (RFC 7523 JWT
# assertion, RS256). The key id is the one registered with UPowr.
provider "pipesolar" {
  upowr = {
    client_id   = "my-client-id"
    key_id      = "key-2026-01"
    private_key = file("${path.module}/upowr-key.pem")
  }
}

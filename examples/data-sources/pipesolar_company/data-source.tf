# The company the provider's API key belongs to: a check that api_token is
# the key you mean.
data "pipesolar_company" "this" {}

output "company" {
  value = "${data.pipesolar_company.this.name} (key ${data.pipesolar_company.this.key_name}, ${data.pipesolar_company.this.key_prefix}...)"
}

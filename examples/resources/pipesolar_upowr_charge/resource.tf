resource "pipesolar_upowr_project" "lovelace" {
  products_of_interest = [{ solar = true }]
  customer             = jsonencode({ firstName = "Ada", lastName = "Lovelace" })
}

# A deposit paid by card, recorded on a UPowr project. processed_at is left
# out: the provider records the time of the create and keeps it.
resource "pipesolar_upowr_charge" "deposit" {
  project_id  = pipesolar_upowr_project.lovelace.id
  amount      = 150000 # cents: 1,500.00
  type        = "Credit card"
  description = "Deposit"
  paid_by     = "Customer"
  external_links = [
    "https://payments.example.com/receipts/8d1f0c",
  ]
}

# A financed payment with a fixed processing time. Any change replaces the
# charge: the old one is deleted in UPowr and a new one recorded.
resource "pipesolar_upowr_charge" "loan" {
  project_id   = pipesolar_upowr_project.lovelace.id
  amount       = 1695001
  type         = "Financing"
  description  = "Loan disbursement"
  paid_by      = "Sunlight Financial"
  processed_at = "2026-11-20T15:30:00Z"
}

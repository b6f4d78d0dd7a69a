resource "pipesolar_project" "lovelace" {
  address      = "123 Solar St, Sunville, CA 90210"
  first_name   = "Ada"
  last_name    = "Lovelace"
  email        = "ada.lovelace@example.com"
  phone_number = "555-123-9876"
  org_id       = "org-sunville"
  sales_rep    = "michael.scott@pipesolar.com"
  setter       = "dwight.schrute@pipesolar.com"

  system_size       = 8.5
  annual_production = 15584.44
  system_cost       = 18450.01
  base_ppw          = 2.15
  final_ppw         = 2.35
  financing_type    = "Loan"
  term_years        = 20
  apr               = 3.99
  panel_count       = 20
  inverter_count    = 1
  adders            = ["Main panel upgrade", "Roof work"]

  # The only argument that changes in place.
  project_stage = "Proposal"

  timeouts {
    create = "10m"
  }
}

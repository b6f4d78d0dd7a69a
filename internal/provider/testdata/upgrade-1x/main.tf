# Provider 1.x configuration (last 1.x commit 157d297), applied against the
# 1.x mock to capture real 1.x state for the 2.x state upgrade tests.
terraform {
  required_providers {
    pipesolar = { source = "pipesolar/pipesolar" }
  }
}

provider "pipesolar" {}

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

  project_stage = "Proposal"

  timeouts {
    create = "10m"
  }
}

resource "pipesolar_project_stage" "hopper" {
  project_id = "D4YR1VSK7K"
  stage      = "NTP"
  org_id     = "org-sunville"
}

resource "pipesolar_project_file" "utility_bill" {
  project_id = pipesolar_project.lovelace.id
  folder_id  = "utility_bill"
  file_urls  = ["https://files.example.com/lovelace/bill-2026-09.pdf"]
}

resource "pipesolar_project_file" "id" {
  project_id = pipesolar_project.lovelace.id
  folder_id  = "drivers_license"
  file_urls  = ["https://files.example.com/lovelace/license-front.jpg", "https://files.example.com/lovelace/license-back.jpg"]
}

resource "pipesolar_project_file" "photos" {
  project_id = "D4YR1VSK7K"
  folder_id  = "installation_photos"
  file_urls = [
    "https://files.example.com/D4YR1VSK7K/roof.jpg",
    "https://files.example.com/D4YR1VSK7K/panels.jpg",
  ]
}

resource "pipesolar_project_file" "contract" {
  project_id = "D4YR1VSK7K"
  folder_id  = "contract"
  file_urls  = ["https://files.example.com/D4YR1VSK7K/contract.pdf"]
}

resource "pipesolar_project_file" "permits" {
  project_id = "D4YR1VSK7K"
  folder_id  = "permits"
  file_urls  = ["https://files.example.com/D4YR1VSK7K/permit.pdf"]
}

resource "pipesolar_activity" "permit_submitted" {
  project_id   = "D4YR1VSK7K"
  installer_id = "inst-sunville"
  notes        = "Permit application submitted to the City of Sunville."
}

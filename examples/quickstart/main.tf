# Quickstart: put a sold project under management, add a document to it,
# hand it to UPowr for installation, enter a new customer as a lead, and
# read the stage ladder.
#
# pipe.solar makes a project in its app when a lead is sold; Terraform
# adopts it with pipesolar_project (by Pipe's id or by its old 10-character
# reference) and manages its stage, install date and NTP flag. Destroying
# pipe.solar resources only removes them from state: Pipe API v1 deletes
# nothing.
#
# `make demo` runs it against the bundled mock API: it starts the mock on
# loopback and points the provider at it through environment variables
# (PIPESOLAR_BASE_URL, PIPESOLAR_API_TOKEN, UPOWR_BASE_URL, UPOWR_TOKEN_URL,
# UPOWR_CLIENT_ID, UPOWR_CLIENT_SECRET). Against the real services, set the
# key and credentials only.
#
# tests/ holds its `terraform test` files: unit.tftest.hcl needs no API at
# all (mock_provider), mock_api.tftest.hcl runs against pipesolar-mockapi
# (`make test-examples`; docs/guides/testing.md shows how outside this
# repository).

terraform {
  required_version = ">= 1.5"
  required_providers {
    pipesolar = {
      source = "pipesolar/pipesolar"
    }
  }
}

provider "pipesolar" {}

variable "project_id" {
  description = "A project made in the pipe.solar app when its lead was sold: Pipe's id, or its old 10-character reference."
  type        = string
}

variable "stage" {
  description = "The stage to move the project to."
  type        = string
  default     = "Contract Signed"

  # A team rule: Terraform moves projects through the sales stages only.
  # Later stages belong to the install team, and "Cancelled" is set in the
  # app. pipe.solar would accept any stage of its ladder.
  validation {
    condition     = contains(["New Lead", "Site Survey", "Proposal", "Contract Signed", "NTP"], var.stage)
    error_message = "The stage set here must be one of: New Lead, Site Survey, Proposal, Contract Signed, NTP (later stages belong to the install team)."
  }
}

variable "install_date" {
  description = "The day the installation is scheduled, YYYY-MM-DD."
  type        = string
  default     = "2027-01-15"
}

resource "pipesolar_project" "sold" {
  project_id   = var.project_id
  stage        = var.stage
  install_date = var.install_date
  ntp_granted  = true
}

# pipe.solar fetches the file from its URL and keeps its own copy in the
# project's utilityBill folder.
resource "pipesolar_project_file" "utility_bill" {
  project_id = pipesolar_project.sold.id
  folder     = "utilityBill"
  files = [
    { url = "https://files.example.com/lovelace/utility-bill-2026-10.pdf", name = "utility-bill-2026-10.pdf" },
  ]
}

# A new customer enters pipe.solar as a lead; pipe.solar makes the project
# in its app when the lead is sold. external_id is the CRM's id: a retried
# apply finds this lead instead of making a second one.
resource "pipesolar_lead" "hopper" {
  external_id     = "crm-000042"
  first_name      = "Grace"
  last_name       = "Hopper"
  email           = "grace.hopper@example.com"
  phone           = "555-010-0042"
  sales_rep_email = "michael.scott@example.com" # an active member's sign-in e-mail
  address = {
    line1       = "7 Harbor Way"
    city        = "Sunville"
    state       = "California" # stored as "CA": the same state, no diff
    postal_code = "90210"
  }
  notes = "Came in through the website; interested in a battery too."
}

# The company's solar stage ladder: ids survive a rename in Settings, so a
# configuration can move projects by stage_id.
data "pipesolar_stages" "solar" {
  product_line = "solar"
}

# UPowr: a photo uploaded first, then the project that picks it up, then a deposit.
resource "pipesolar_upowr_file" "switchboard" {
  file_association_id = "lovelace-2026-11"
  file_code           = "switchboard_photo"
  source              = "${path.module}/files/switchboard.png"
}

resource "pipesolar_upowr_project" "lovelace" {
  products_of_interest = [{ solar = true, battery = true }]
  customer = jsonencode({
    firstName = "Ada"
    lastName  = "Lovelace"
    email     = "ada.lovelace@example.com"
  })
  site = jsonencode({
    address = { line1 = "100 Solar St", city = "Sunville", state = "CA", postcode = "90210" }
  })
  file_association_id = pipesolar_upowr_file.switchboard.file_association_id
  preferred_days      = [1, 3]
  xref                = pipesolar_project.sold.id
  closed_by           = "terraform"
}

resource "pipesolar_upowr_charge" "deposit" {
  project_id  = pipesolar_upowr_project.lovelace.id
  amount      = 150000 # cents
  type        = "Bank transfer"
  description = "Deposit"
  paid_by     = "Customer"
}

# Every solar project of the company (the key names the company), read
# after the stage move.
data "pipesolar_projects" "solar" {
  product_line = "solar"
  depends_on   = [pipesolar_project.sold]
}

output "project" {
  description = "The adopted project: Pipe's id, its old reference, and what Terraform manages."
  value = {
    id           = pipesolar_project.sold.id
    reference    = pipesolar_project.sold.reference
    customer     = "${pipesolar_project.sold.customer.first_name} ${pipesolar_project.sold.customer.last_name}"
    stage        = pipesolar_project.sold.stage
    install_date = pipesolar_project.sold.install_date
    ntp_granted  = pipesolar_project.sold.ntp_granted
  }
}

output "utility_bill" {
  description = "The ids pipe.solar gave the files added."
  value       = [for f in pipesolar_project_file.utility_bill.files : f.id]
}

output "pipeline" {
  description = "Every solar project of the company, as the API lists them."
  value       = { for p in data.pipesolar_projects.solar.projects : p.id => "${p.customer.first_name} ${p.customer.last_name}: ${p.stage}" }
}

output "lead" {
  description = "The new lead: Pipe's id, its status and the rep assigned."
  value = {
    id          = pipesolar_lead.hopper.id
    external_id = pipesolar_lead.hopper.external_id
    status      = pipesolar_lead.hopper.status
    sales_rep   = pipesolar_lead.hopper.sales_rep.name
  }
}

output "ladder" {
  description = "The solar stage ladder, stage ids by name."
  value       = { for s in data.pipesolar_stages.solar.stages : s.name => s.id }
}

output "upowr" {
  value = {
    project = pipesolar_upowr_project.lovelace.id
    charge  = pipesolar_upowr_charge.deposit.id
    photo   = pipesolar_upowr_file.switchboard.content_sha256
  }
}

# Quickstart: a small solar sales pipeline as code.
#
# `make demo` runs it against the bundled mock API: it starts the mock on
# loopback and points the provider at it through environment variables
# (PIPESOLAR_BASE_URL, PIPESOLAR_API_TOKEN, UPOWR_BASE_URL, UPOWR_TOKEN_URL,
# UPOWR_CLIENT_ID, UPOWR_CLIENT_SECRET). Against the real services, set the
# tokens and credentials only.
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

variable "existing_project_id" {
  description = "A project that already exists in pipe.solar, read with the data source."
  type        = string
}

variable "stages" {
  description = "Stage of each customer's project, by customer key. A customer left out gets pipe.solar's first stage; turing's stage is pipesolar_project_stage.turing's."
  type        = map(string)
  default = {
    lovelace = "Proposal"
    hopper   = "Site Survey"
  }

  # A team rule: Terraform moves projects through the sales stages only.
  # Later stages belong to the install team, and "Closed Lost" is set in
  # the app. pipe.solar would accept any stage it knows.
  validation {
    condition     = alltrue([for s in values(var.stages) : contains(["New Lead", "Site Survey", "Proposal", "Contract Signed", "NTP"], s)])
    error_message = "Stages set here must be one of: New Lead, Site Survey, Proposal, Contract Signed, NTP (later stages belong to the install team)."
  }
}

locals {
  # Two installer orgs, each with its customers.
  customers = {
    lovelace = { org = "org-sunville", first = "Ada", last = "Lovelace", email = "Ada.Lovelace@example.com", size = 8.5, cost = 18450.01 }
    hopper   = { org = "org-sunville", first = "Grace", last = "Hopper", email = "grace.hopper@example.com", size = 6.2, cost = 14210 }
    turing   = { org = "org-brightside", first = "Alan", last = "Turing", email = "alan.turing@example.com", size = 10.4, cost = 23999.99 }
  }
}

resource "pipesolar_project" "customer" {
  for_each = local.customers

  address      = "${index(keys(local.customers), each.key) + 100} Solar St, Sunville, CA 90210"
  first_name   = each.value.first
  last_name    = each.value.last
  email        = each.value.email
  phone_number = "555-010-${format("%04d", index(keys(local.customers), each.key))}"
  org_id       = each.value.org
  sales_rep    = "michael.scott@pipesolar.com"
  setter       = "dwight.schrute@pipesolar.com"

  system_size    = each.value.size
  system_cost    = each.value.cost
  financing_type = "Loan"
  term_years     = 20
  apr            = 3.99
  panel_count    = ceil(each.value.size * 1000 / 400)
  adders         = ["Main panel upgrade"]
  project_stage  = lookup(var.stages, each.key, null)
}

# Alan's stage has a resource of its own, so his project leaves project_stage unset.
resource "pipesolar_project_stage" "turing" {
  project_id = pipesolar_project.customer["turing"].id
  stage      = "Site Survey"

  lifecycle {
    # Two owners of one stage would undo each other's change on every apply.
    precondition {
      condition     = !contains(keys(var.stages), "turing")
      error_message = "Alan Turing's stage is managed by pipesolar_project_stage.turing: remove \"turing\" from var.stages."
    }
  }
}

resource "pipesolar_activity" "kickoff" {
  project_id   = pipesolar_project.customer["lovelace"].id
  installer_id = "installer-sunville"
  notes        = "Kick-off call booked for Monday 9am."
}

resource "pipesolar_project_file" "utility_bill" {
  project_id = pipesolar_project.customer["lovelace"].id
  folder_id  = "utility_bill"
  file_urls  = ["https://files.example.com/lovelace/utility-bill-2026-10.pdf"]
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
  xref                = pipesolar_project.customer["lovelace"].id
  closed_by           = "terraform"
}

resource "pipesolar_upowr_charge" "deposit" {
  project_id  = pipesolar_upowr_project.lovelace.id
  amount      = 150000 # cents
  type        = "Bank transfer"
  description = "Deposit"
  paid_by     = "Customer"
}

data "pipesolar_project" "existing" {
  id = var.existing_project_id
}

data "pipesolar_projects" "sunville" {
  org_id     = "org-sunville"
  depends_on = [pipesolar_project.customer]
}

output "projects" {
  description = "Projects created, with their pipe.solar id and stage."
  value = {
    for k, p in pipesolar_project.customer : k => {
      id = p.id
      # Alan's stage is managed by pipesolar_project_stage.turing.
      stage = k == "turing" ? pipesolar_project_stage.turing.stage : p.project_stage
      price = p.system_cost
    }
  }
}

output "sunville_pipeline" {
  description = "Every project of org-sunville, as the API lists them."
  value       = { for p in data.pipesolar_projects.sunville.projects : p.id => "${p.first_name} ${p.last_name}: ${p.project_stage}" }
}

output "existing_project" {
  value = "${data.pipesolar_project.existing.first_name} ${data.pipesolar_project.existing.last_name} (${data.pipesolar_project.existing.project_stage})"
}

output "upowr" {
  value = {
    project = pipesolar_upowr_project.lovelace.id
    charge  = pipesolar_upowr_charge.deposit.id
    photo   = pipesolar_upowr_file.switchboard.content_sha256
  }
}

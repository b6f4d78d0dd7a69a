# Unit tests of the quickstart's own logic, with no API at all: mock_provider
# (Terraform >= 1.7) answers for pipesolar with generated values, so these
# run anywhere, without credentials or a mock server:
#
#   terraform test -filter=tests/unit.tftest.hcl

mock_provider "pipesolar" {
  # Generated values are random strings; a value the configuration passes on
  # to an argument with a format gets a valid one here.
  mock_resource "pipesolar_upowr_project" {
    defaults = {
      id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    }
  }

  mock_resource "pipesolar_project" {
    defaults = {
      id        = "prj_7Yq2mK4w"
      reference = "D4YR1VSK7K"
      customer  = { first_name = "Ada", last_name = "Lovelace", email = "ada.lovelace@example.com", phone = "555-010-0001" }
    }
  }
}

variables {
  project_id = "D4YR1VSK7K"
}

run "adopts_with_the_defaults" {
  command = plan

  assert {
    condition     = pipesolar_project.sold.project_id == "D4YR1VSK7K" && pipesolar_project.sold.stage == "Contract Signed"
    error_message = "The project is adopted by var.project_id and moved to the default stage."
  }
  assert {
    condition     = pipesolar_project.sold.install_date == "2027-01-15" && pipesolar_project.sold.ntp_granted
    error_message = "The install date and NTP come from the configuration."
  }
  assert {
    condition     = pipesolar_project_file.utility_bill.folder == "utilityBill" && length(pipesolar_project_file.utility_bill.files) == 1
    error_message = "One file goes to the utilityBill folder."
  }
  assert {
    # The CRM's id makes the lead's create exact.
    condition     = pipesolar_lead.hopper.external_id == "crm-000042" && pipesolar_lead.hopper.address.state == "California"
    error_message = "The lead is created under the CRM's id."
  }
}

run "wires_the_project_through" {
  # Apply against the mock provider: the file and the UPowr project refer to
  # the adopted project by Pipe's id, not by the reference it was adopted by.
  assert {
    condition     = pipesolar_project_file.utility_bill.project_id == "prj_7Yq2mK4w" && pipesolar_upowr_project.lovelace.xref == "prj_7Yq2mK4w"
    error_message = "project_id of the file is ${pipesolar_project_file.utility_bill.project_id}, xref ${pipesolar_upowr_project.lovelace.xref}."
  }
  assert {
    condition     = output.project.customer == "Ada Lovelace" && output.project.reference == "D4YR1VSK7K"
    error_message = "project output: ${jsonencode(output.project)}."
  }
  assert {
    condition     = pipesolar_upowr_charge.deposit.project_id == pipesolar_upowr_project.lovelace.id
    error_message = "The deposit is charged to the UPowr project."
  }
}

run "team_rule_allows_the_sales_stages" {
  command = plan

  variables {
    stage = "NTP"
  }
}

run "team_rule_rejects_later_stages" {
  command = plan

  variables {
    stage = "Installation"
  }

  expect_failures = [var.stage]
}

# Runs the quickstart against the Pipe API v1 and UPowr mock API
# (pipesolar-mockapi), started with the company in mock-org.json:
#
#   pipesolar-mockapi -seed tests/mock-org.json -env-file mock.env &
#   set -a; . ./mock.env; set +a       # PIPESOLAR_BASE_URL, PIPESOLAR_API_TOKEN, UPOWR_*
#   terraform test
#
# (`make test-examples` does this in the provider's repository.) The mock
# answers as Pipe API v1 does (Pipe's own ids, old references that still
# resolve, Pipe's copies of added files), so the assertions below hold
# against the real service too; nothing here touches it.

variables {
  # The project mock-org.json seeds: sold in the app, in stage "Proposal",
  # known here by its old 10-character reference.
  project_id = "D4YR1VSK7K"
}

run "adopt" {
  assert {
    # Adopted by its old reference; id is Pipe's own.
    condition     = pipesolar_project.sold.reference == "D4YR1VSK7K" && pipesolar_project.sold.id != "D4YR1VSK7K"
    error_message = "Adopted project: id ${pipesolar_project.sold.id}, reference ${pipesolar_project.sold.reference}."
  }
  assert {
    condition     = output.project.customer == "Katherine Johnson"
    error_message = "The seeded project's customer reads ${output.project.customer}."
  }
  assert {
    condition     = pipesolar_project.sold.stage == "Contract Signed" && pipesolar_project.sold.stage_entered_at != null
    error_message = "Stage after adopting: ${pipesolar_project.sold.stage} (entered ${coalesce(pipesolar_project.sold.stage_entered_at, "never")})."
  }
  assert {
    # install_date is the milestone installScheduled.
    condition     = pipesolar_project.sold.install_date == "2027-01-15" && pipesolar_project.sold.milestones["installScheduled"] == "2027-01-15"
    error_message = "install_date is ${coalesce(pipesolar_project.sold.install_date, "null")}."
  }
  assert {
    condition     = pipesolar_project.sold.ntp_granted
    error_message = "NTP was not granted."
  }
  assert {
    # Pipe keeps its own copy: one file, with Pipe's id.
    condition     = length(output.utility_bill) == 1 && output.utility_bill[0] != null
    error_message = "Files added: ${jsonencode(output.utility_bill)}."
  }
  assert {
    # The company's listing holds the adopted project, in its new stage.
    condition     = output.pipeline[pipesolar_project.sold.id] == "Katherine Johnson: Contract Signed"
    error_message = "The listing shows ${jsonencode(output.pipeline)}."
  }
  assert {
    condition     = pipesolar_upowr_charge.deposit.amount == 150000 && pipesolar_upowr_project.lovelace.xref == pipesolar_project.sold.id
    error_message = "The UPowr project or its deposit is not as configured."
  }
  assert {
    # A new lead, created under the CRM's id, with the rep resolved by e-mail.
    condition     = output.lead.id != null && output.lead.external_id == "crm-000042" && output.lead.sales_rep == "Michael Scott"
    error_message = "The lead reads ${jsonencode(output.lead)}."
  }
  assert {
    # "California" is stored as "CA"; the configuration keeps its own spelling.
    condition     = pipesolar_lead.hopper.address.state == "California" && pipesolar_lead.hopper.project_id == null
    error_message = "The lead's state reads ${pipesolar_lead.hopper.address.state}; project ${coalesce(pipesolar_lead.hopper.project_id, "none")}."
  }
  assert {
    condition     = output.ladder["Contract Signed"] == "stg_contract_signed" && length(output.ladder) == 10
    error_message = "The solar ladder reads ${jsonencode(output.ladder)}."
  }
}

run "advance_a_stage_in_place" {
  variables {
    stage = "NTP"
  }

  assert {
    # Same project, moved: pipe.solar has no call that makes a project.
    condition     = pipesolar_project.sold.id == run.adopt.project.id && pipesolar_project.sold.stage == "NTP"
    error_message = "Project ${pipesolar_project.sold.id} is in ${pipesolar_project.sold.stage}."
  }
  assert {
    condition     = output.utility_bill == run.adopt.utility_bill
    error_message = "The file was added again: ${jsonencode(output.utility_bill)}."
  }
}

run "team_rule_rejects_a_later_stage" {
  command = plan

  variables {
    stage = "Installation"
  }

  expect_failures = [var.stage]
}

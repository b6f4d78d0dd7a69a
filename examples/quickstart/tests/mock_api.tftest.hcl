# Runs the quickstart against the pipe.solar and UPowr mock API
# (pipesolar-mockapi), started with the org in mock-org.json:
#
#   pipesolar-mockapi -seed-file tests/mock-org.json -env-file mock.env &
#   set -a; . ./mock.env; set +a       # PIPESOLAR_BASE_URL, PIPESOLAR_API_TOKEN, UPOWR_*
#   terraform test
#
# (`make test-examples` does this in the provider's repository.) The mock
# computes what pipe.solar computes (city, formatted prices, dates), so the
# assertions below hold against the real service too; nothing here touches it.

variables {
  # The project mock-org.json seeds: a project made in the pipe.solar app.
  existing_project_id = "1700000000000x100000000000000001"
}

run "create" {
  assert {
    condition     = pipesolar_project.customer["lovelace"].customer_city == "Sunville"
    error_message = "pipe.solar should derive the city from the address; got ${pipesolar_project.customer["lovelace"].customer_city}."
  }
  assert {
    condition     = pipesolar_project.customer["lovelace"].project_stage == "Proposal" && pipesolar_project_stage.turing.stage == "Site Survey"
    error_message = "Stages after create: ${jsonencode(output.projects)}."
  }
  assert {
    # Sent as 18450.01, returned by the API as "18,450.01": no diff, same number.
    condition     = pipesolar_project.customer["lovelace"].system_cost == 18450.01
    error_message = "system_cost came back as ${pipesolar_project.customer["lovelace"].system_cost}."
  }
  assert {
    condition     = pipesolar_project.customer["lovelace"].contract_signed_date == null
    error_message = "A project in Proposal has no contract signed date."
  }
  assert {
    condition     = output.existing_project == "Katherine Johnson (Contract Signed)"
    error_message = "The data source read ${output.existing_project}."
  }
  assert {
    # The seeded project and the two created in org-sunville (a mock that
    # served earlier runs lists their projects too: pipe.solar deletes none).
    condition = alltrue([
      for id in [var.existing_project_id, pipesolar_project.customer["lovelace"].id, pipesolar_project.customer["hopper"].id] :
      contains(data.pipesolar_projects.sunville.ids, id)
    ])
    error_message = "org-sunville lists ${jsonencode(data.pipesolar_projects.sunville.ids)}."
  }
  assert {
    condition     = pipesolar_upowr_charge.deposit.amount == 150000 && pipesolar_upowr_project.lovelace.xref == pipesolar_project.customer["lovelace"].id
    error_message = "The UPowr project or its deposit is not as configured."
  }
}

run "advance_a_stage_in_place" {
  variables {
    stages = {
      lovelace = "Contract Signed"
      hopper   = "Site Survey"
    }
  }

  assert {
    # Same id: update_stage changed the project; nothing was replaced.
    condition     = pipesolar_project.customer["lovelace"].id == run.create.projects["lovelace"].id
    error_message = "Ada's project was replaced: ${run.create.projects["lovelace"].id} -> ${pipesolar_project.customer["lovelace"].id}."
  }
  assert {
    condition     = pipesolar_project.customer["lovelace"].project_stage == "Contract Signed"
    error_message = "Ada's stage is ${pipesolar_project.customer["lovelace"].project_stage}."
  }
  assert {
    # pipe.solar records when the contract was signed (the provider gives
    # its MM/DD/YYYY as YYYY-MM-DD).
    condition     = can(regex("^\\d{4}-\\d{2}-\\d{2}$", pipesolar_project.customer["lovelace"].contract_signed_date))
    error_message = "contract_signed_date is \"${pipesolar_project.customer["lovelace"].contract_signed_date}\"."
  }
}

run "team_rule_rejects_a_later_stage" {
  command = plan

  variables {
    stages = {
      lovelace = "Installation"
      hopper   = "Site Survey"
    }
  }

  expect_failures = [var.stages]
}

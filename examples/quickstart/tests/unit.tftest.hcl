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

  mock_data "pipesolar_project" {
    defaults = {
      first_name    = "Katherine"
      last_name     = "Johnson"
      project_stage = "Contract Signed"
    }
  }
}

variables {
  existing_project_id = "any-id"
}

run "derived_arguments" {
  command = plan

  assert {
    # ceil(8.5 kW * 1000 / 400 W)
    condition     = pipesolar_project.customer["lovelace"].panel_count == 22
    error_message = "Ada needs 22 panels, planned ${pipesolar_project.customer["lovelace"].panel_count}."
  }
  assert {
    condition     = pipesolar_project.customer["turing"].phone_number == "555-010-0002" && pipesolar_project.customer["turing"].address == "102 Solar St, Sunville, CA 90210"
    error_message = "Alan's phone number or address is not derived from his position in the map."
  }
  assert {
    condition     = pipesolar_project.customer["hopper"].project_stage == "Site Survey"
    error_message = "Grace's stage comes from var.stages."
  }
}

run "outputs" {
  # Apply against the mock provider: ids are generated, stages come from
  # the configuration and from pipesolar_project_stage.turing.
  assert {
    condition     = output.projects["turing"].stage == "Site Survey" && output.projects["lovelace"].stage == "Proposal"
    error_message = "Stages in the output: ${jsonencode(output.projects)}."
  }
  assert {
    condition     = output.existing_project == "Katherine Johnson (Contract Signed)"
    error_message = "existing_project is ${output.existing_project}."
  }
}

run "team_rule_allows_the_sales_stages" {
  command = plan

  variables {
    stages = {
      lovelace = "NTP"
      hopper   = "New Lead"
    }
  }
}

run "team_rule_rejects_other_stages" {
  command = plan

  variables {
    stages = {
      lovelace = "Closed Lost"
    }
  }

  expect_failures = [var.stages]
}

run "one_owner_per_stage" {
  command = plan

  variables {
    stages = {
      turing = "Proposal"
    }
  }

  expect_failures = [pipesolar_project_stage.turing]
}

# Terraform 1.12 and later: import by resource identity.
import {
  to       = pipesolar_project_stage.lovelace
  identity = { project_id = "D4YR1VSK7K" }
}

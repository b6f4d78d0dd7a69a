# Terraform 1.5 and later.
import {
  to = pipesolar_project_stage.lovelace
  id = "D4YR1VSK7K"
}

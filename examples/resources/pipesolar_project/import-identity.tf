# Terraform 1.12 and later: import by resource identity.
import {
  to       = pipesolar_project.lovelace
  identity = { id = "D4YR1VSK7K" }
}

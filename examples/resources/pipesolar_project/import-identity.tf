# Terraform 1.12 and later: import by resource identity. Any id form works;
# the identity in state then holds Pipe's id.
import {
  to       = pipesolar_project.lovelace
  identity = { id = "D4YR1VSK7K" }
}

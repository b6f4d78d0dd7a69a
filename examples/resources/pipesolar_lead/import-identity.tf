# Terraform 1.12 and later: import by resource identity. Pipe's id or the old
# reference works; the identity in state then holds Pipe's id.
import {
  to       = pipesolar_lead.hopper
  identity = { id = "L4YR1VSK7K" }
}

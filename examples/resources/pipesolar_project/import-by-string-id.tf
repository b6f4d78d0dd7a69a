# Terraform 1.5 and later. Write the resource block with the same id in
# project_id; the import then plans no change.
import {
  to = pipesolar_project.lovelace
  id = "D4YR1VSK7K"
}

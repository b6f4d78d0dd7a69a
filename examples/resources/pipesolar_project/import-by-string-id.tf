import {
  to = pipesolar_project.lovelace
  id = "D4YR1VSK7K"
}

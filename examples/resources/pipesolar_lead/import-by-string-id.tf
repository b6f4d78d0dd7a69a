# Terraform 1.5 and later. Write the resource block with the lead's name and
# address; leave the optional arguments out to plan no change.
import {
  to = pipesolar_lead.hopper
  id = "L4YR1VSK7K"
}

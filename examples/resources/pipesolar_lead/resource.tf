# A new customer in pipe.solar. pipe.solar makes a project from the lead in
# the app when it is sold; manage that one with pipesolar_project.
resource "pipesolar_lead" "hopper" {
  first_name = "Grace"
  last_name  = "Hopper"
  address = {
    line1       = "1 Main St"
    line2       = "Unit 4"
    city        = "Sunville"
    state       = "California" # or "CA": the same state, no diff either way
    postal_code = "90210"
  }

  # Optional: an argument left out is not managed (a rep assigned in the app
  # stays assigned); "" clears a value.
  email           = "grace@example.com"
  phone           = "555-010-0002"
  sales_rep_email = "rep@example.com" # an active member's sign-in e-mail
  notes           = "Prefers calls after 5pm"

  co_borrower = {
    first_name = "Alan"
    last_name  = "Turing"
  }

  # Your CRM's id makes the create exact. Left out, the provider derives one
  # from the name and address, so a repeated create finds the same lead.
  # It cannot change once the lead exists.
  external_id = "crm-000042"

  timeouts {
    create = "10m"
  }
}

output "hopper" {
  value = {
    id      = pipesolar_lead.hopper.id
    status  = pipesolar_lead.hopper.status
    rep     = pipesolar_lead.hopper.sales_rep.name
    link    = pipesolar_lead.hopper.links.record
    project = pipesolar_lead.hopper.project_id # null until the lead is sold
  }
}

# Post a note to a lead's activity (Terraform 1.14 and later). The action
# REPLACES the lead's notes field with the note; pipe.solar posts each new
# value to the activity, where the earlier notes stay. Leave `notes` out of a
# pipesolar_lead you log to this way, or its next apply sets them back.
action "pipesolar_lead_note" "welcome" {
  config {
    lead_id = pipesolar_lead.hopper.id
    note    = "Welcome call scheduled by Terraform"
  }
}

# Run it when the lead is made (or any time with
# terraform apply -invoke=action.pipesolar_lead_note.welcome).
resource "pipesolar_lead" "hopper" {
  first_name = "Grace"
  last_name  = "Hopper"
  address = {
    line1       = "1 Main St"
    city        = "Sunville"
    state       = "CA"
    postal_code = "90210"
  }

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.pipesolar_lead_note.welcome]
    }
  }
}

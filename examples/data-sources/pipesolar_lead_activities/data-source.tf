# A lead's activity, newest first (every page).
data "pipesolar_lead_activities" "hopper" {
  lead_id = "L4YR1VSK7K"
}

output "latest_notes" {
  value = [
    for a in data.pipesolar_lead_activities.hopper.activities :
    "${a.created_at} ${a.author}: ${a.body}"
    if a.type == "note" && !a.internal
  ]
}

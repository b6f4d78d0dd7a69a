# One lead, by Pipe's id or its old reference: every field, its proposal too.
data "pipesolar_lead" "hopper" {
  id = "L4YR1VSK7K"
}

output "hopper_proposal" {
  value = data.pipesolar_lead.hopper.proposal == null ? null : {
    label   = data.pipesolar_lead.hopper.proposal.label
    size_kw = data.pipesolar_lead.hopper.proposal.system.size_kw
    net     = data.pipesolar_lead.hopper.proposal.price.net
    link    = data.pipesolar_lead.hopper.proposal.links.proposal
  }
}

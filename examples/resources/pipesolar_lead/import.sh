# Import a pipe.solar lead by Pipe's id or its old 10-character reference
# (the lead's address in the app shows Pipe's id).
terraform import pipesolar_lead.hopper L4YR1VSK7K

# Import a pipe.solar project by Pipe's id, its old 10-character reference or
# its lead's id (the project's address in the app shows Pipe's id).
terraform import pipesolar_project.lovelace D4YR1VSK7K

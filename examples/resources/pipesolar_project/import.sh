# Import a pipe.solar project by its id (shown in the project's URL in the app).
terraform import pipesolar_project.lovelace D4YR1VSK7K

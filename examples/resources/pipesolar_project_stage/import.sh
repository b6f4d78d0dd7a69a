# Import the stage of a pipe.solar project by the project's id (any id form).
terraform import pipesolar_project_stage.lovelace D4YR1VSK7K

# What this configuration tells its users after an apply. See README.md.

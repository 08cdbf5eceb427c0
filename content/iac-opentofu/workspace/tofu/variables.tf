# The configuration's inputs. See README.md for the three it must have.

variable "environment" {
  description = "Which environment to render the app's configuration for (dev, qa, staging, prod)."
  type        = string
}

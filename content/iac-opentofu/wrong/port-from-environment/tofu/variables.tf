variable "environment" {
  description = "Which environment to render the app's configuration for (dev, qa, staging, prod)."
  type        = string
  default     = "staging"

  validation {
    condition     = contains(["dev", "qa", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, qa, staging, prod."
  }
}

variable "app_port" {
  description = "TCP port the app listens on."
  type        = number
  default     = 8080

  validation {
    condition     = var.app_port >= 1024 && var.app_port <= 65535 && floor(var.app_port) == var.app_port
    error_message = "app_port must be a whole number from 1024 to 65535 (the app does not run as root)."
  }
}

variable "replicas" {
  description = "How many instances of the app to run."
  type        = number
  default     = 2
}

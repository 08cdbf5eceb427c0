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
    condition     = var.app_port > 1023
    error_message = "app_port below 1024 needs root; the app runs as a normal user."
  }

  validation {
    condition     = var.app_port < 65536
    error_message = "app_port above 65535 is not a TCP port."
  }
}

variable "replicas" {
  description = "How many instances of the app to run."
  type        = number
  default     = 2
}

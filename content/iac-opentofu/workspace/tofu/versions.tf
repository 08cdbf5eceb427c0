# Which OpenTofu and which providers this configuration needs. The providers
# come from a mirror on the tofu node (/usr/share/tofu/providers): no registry.
terraform {
  required_version = ">= 1.6"

  required_providers {
    local = {
      source  = "hashicorp/local"
      version = "~> 2.9"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.9"
    }
  }
}

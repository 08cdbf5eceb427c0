output "app_name" {
  description = "The app's name in this environment."
  value       = random_pet.app.id
}

output "app_port" {
  description = "The port the app listens on."
  value       = var.app_port
}

output "config_path" {
  description = "Where the rendered configuration file is."
  value       = local_file.app_config.filename
}

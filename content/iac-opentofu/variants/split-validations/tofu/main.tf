# The app's configuration for one environment, written as a file the deploy
# tooling picks up: out/<environment>/app.env

# A stable, readable name per environment: a new one only when the environment changes.
resource "random_pet" "app" {
  prefix = var.environment
  length = 2

  keepers = {
    environment = var.environment
  }
}

resource "local_file" "app_config" {
  filename        = "${path.module}/out/${var.environment}/app.env"
  file_permission = "0644"
  content = join("\n", [
    "APP_NAME=${random_pet.app.id}",
    format("APP_PORT=%d", var.app_port),
    format("REPLICAS=%d", var.replicas),
  ])
}

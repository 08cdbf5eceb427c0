locals {
  config_dir = "${path.module}/out/${var.environment}"
}

resource "random_pet" "app" {
  prefix    = var.environment
  separator = "-"
  keepers   = { environment = var.environment }
}

resource "local_file" "app_config" {
  filename        = "${local.config_dir}/app.env"
  file_permission = "0644"
  content = templatefile("${path.module}/app.env.tftpl", {
    name     = random_pet.app.id
    port     = var.app_port
    replicas = var.replicas
  })
}

# The app's configuration for one environment, written as a file the deploy
# tooling picks up: out/<environment>/app.env

resource "local_file" "app_config" {
  filename = "${path.module}/out/staging/app.env"
  content  = <<-EOT
    APP_NAME=shop-staging
    APP_PORT=8080
    REPLICAS=2
  EOT
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "ums-oneroster"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

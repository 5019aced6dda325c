terraform {
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.28"
    }
  }

  # State in S3 with locking; the bucket, key and KMS key come from a file kept beside the
  # operator's credentials: `terraform init -backend-config=backend.hcl` (docs/deploy.md).
  backend "s3" {}
}

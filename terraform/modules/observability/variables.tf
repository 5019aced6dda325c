variable "name" {
  description = "Name prefix for every resource of the module, e.g. `ums-oneroster-prod`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alarm topic (each must confirm the subscription)."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for email in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "alarm_emails must be e-mail addresses."
  }
}

variable "function_name" {
  description = "Name of the OneRoster Lambda function to watch."
  type        = string
}

variable "rest_api_name" {
  description = "Name of the REST API to watch (the `ApiName` dimension of its metrics)."
  type        = string
}

variable "stage_name" {
  description = "Stage of the REST API to watch (the `Stage` dimension of its metrics)."
  type        = string
}

variable "error_rate_threshold_percent" {
  description = "Alarm when more than this share of the API's requests answer 5xx over a period."
  type        = number
  default     = 5

  validation {
    condition     = var.error_rate_threshold_percent > 0 && var.error_rate_threshold_percent <= 100
    error_message = "error_rate_threshold_percent must be in (0, 100]."
  }
}

variable "error_rate_min_requests" {
  description = "A period with fewer requests than this never raises the 5xx-rate alarm (one failed request of two is noise, not an outage)."
  type        = number
  default     = 20

  validation {
    condition     = var.error_rate_min_requests >= 1
    error_message = "error_rate_min_requests must be at least 1."
  }
}

variable "latency_p99_threshold_ms" {
  description = "Alarm when the API's p99 latency exceeds this. SDS gives up after 30 s and the integration stops at 29 s, so the alarm must fire before either."
  type        = number
  default     = 20000

  validation {
    condition     = var.latency_p99_threshold_ms >= 1000 && var.latency_p99_threshold_ms < 29000
    error_message = "latency_p99_threshold_ms must be between 1000 and 28999: at 29 s the gateway has already cut the request."
  }
}

variable "function_error_threshold" {
  description = "Alarm when the function reports more errors than this in a period."
  type        = number
  default     = 0

  validation {
    condition     = var.function_error_threshold >= 0
    error_message = "function_error_threshold must not be negative."
  }
}

variable "period_seconds" {
  description = "Period of the API and function alarms, in seconds."
  type        = number
  default     = 300

  validation {
    condition     = contains([60, 300, 900, 3600], var.period_seconds)
    error_message = "period_seconds must be 60, 300, 900 or 3600."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}

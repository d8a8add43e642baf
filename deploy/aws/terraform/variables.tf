variable "region" {
  type        = string
  description = "AWS region of the replica set and the staging instance"
}

variable "subnet_id" {
  type        = string
  description = "subnet of the hidden member (an availability zone of its own, e.g. ap-south-1b)"
}

variable "hidden_member_ami" {
  type        = string
  description = "AMI of the hidden member's host (MongoDB installed, SSM agent running)"
}

variable "hidden_member_instance_type" {
  type    = string
  default = "r6i.large"
}

variable "data_volume_size_gb" {
  type    = number
  default = 500
}

variable "staging_instance_id" {
  type        = string
  description = "the staging instance dbfork ebs sync restores to (--staging-instance)"
}

variable "mongo_admin_user" {
  type      = string
  sensitive = true
}

variable "mongo_admin_password" {
  type      = string
  sensitive = true
}

variable "anonymization_key" {
  type        = string
  sensitive   = true
  description = "the anonymization key (openssl rand -base64 32), read on the staging host"
}

variable "dbfork_principal_arn" {
  type        = string
  description = "who runs dbfork ebs sync (a CI role, an operator role): may assume the sync role"
}

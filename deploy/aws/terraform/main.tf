# dbfork ebs sync on AWS (docs/ebs.md): the hidden member's host and data volume, the SSM documents,
# the Parameter Store SecureStrings, the role dbfork runs as (its policy is what
# `dbfork ebs sync --iam-policy` prints) and the staging host's role.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
}

# --- the hidden, non-voting secondary ({priority: 0, votes: 0, hidden: true}; replica-init adds it)

resource "aws_instance" "hidden_member" {
  ami                  = var.hidden_member_ami
  instance_type        = var.hidden_member_instance_type
  subnet_id            = var.subnet_id
  iam_instance_profile = aws_iam_instance_profile.mongo_host.name
  tags = {
    Name        = "mongo-hidden-member"
    environment = "production"
    role        = "mongo-hidden-secondary"
  }
}

resource "aws_ebs_volume" "hidden_data" {
  availability_zone = aws_instance.hidden_member.availability_zone
  size              = var.data_volume_size_gb
  type              = "gp3"
  encrypted         = true
  tags = {
    Name        = "mongo-hidden-member-data"
    environment = "production"
  }
}

resource "aws_volume_attachment" "hidden_data" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.hidden_data.id
  instance_id = aws_instance.hidden_member.id
}

# --- the SSM documents (dbfork ebs install-documents installs the same files)

resource "aws_ssm_document" "mongo_snapshot" {
  name            = "mongo-snapshot"
  document_type   = "Command"
  document_format = "YAML"
  content         = file("${path.module}/../ssm/mongo-snapshot.yaml")
}

resource "aws_ssm_document" "mongo_restore" {
  name            = "mongo-restore"
  document_type   = "Command"
  document_format = "YAML"
  content         = file("${path.module}/../ssm/mongo-restore.yaml")
}

resource "aws_ssm_document" "replica_init" {
  name            = "replica-init"
  document_type   = "Command"
  document_format = "YAML"
  content         = file("${path.module}/../ssm/replica-init.yaml")
}

# --- credentials: SecureStrings (the AWS managed key alias/aws/ssm)

resource "aws_ssm_parameter" "mongo_admin" {
  name  = "/mongo/admin"
  type  = "SecureString"
  value = var.mongo_admin_user
}

resource "aws_ssm_parameter" "mongo_admin_password" {
  name  = "/mongo/admin/password"
  type  = "SecureString"
  value = var.mongo_admin_password
}

resource "aws_ssm_parameter" "anonymization_key" {
  name  = "/dbfork/anonymization-key"
  type  = "SecureString"
  value = var.anonymization_key
}

# --- the role dbfork ebs sync runs as

data "aws_iam_policy_document" "assume_sync" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.dbfork_principal_arn]
    }
  }
}

resource "aws_iam_role" "dbfork_ebs_sync" {
  name               = "dbfork-ebs-sync"
  assume_role_policy = data.aws_iam_policy_document.assume_sync.json
}

# The statements of `dbfork ebs sync --iam-policy` (test/fixtures/ebs/sync-iam.golden.json): ids EC2
# assigns during the run are pinned by tag, never by a * resource on Create/Attach/Detach/Delete.
data "aws_iam_policy_document" "dbfork_ebs_sync" {
  statement {
    sid       = "ReadMongoCredentials"
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.mongo_admin.arn, aws_ssm_parameter.mongo_admin_password.arn]
  }
  statement {
    sid       = "DecryptMongoCredentials"
    actions   = ["kms:Decrypt"]
    resources = ["arn:${local.partition}:kms:${var.region}:${local.account}:key/*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ssm.${var.region}.amazonaws.com"]
    }
  }
  statement {
    sid       = "Describe"
    actions   = ["ec2:DescribeInstances", "ec2:DescribeSnapshots", "ec2:DescribeVolumes"]
    resources = ["*"]
  }
  statement {
    sid       = "CreateSnapshotOfSourceVolume"
    actions   = ["ec2:CreateSnapshot"]
    resources = ["arn:${local.partition}:ec2:${var.region}:${local.account}:volume/${aws_ebs_volume.hidden_data.id}"]
  }
  statement {
    sid       = "CreateTaggedSnapshot"
    actions   = ["ec2:CreateSnapshot"]
    resources = ["arn:${local.partition}:ec2:${var.region}::snapshot/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/dbfork:managed-by"
      values   = ["dbfork"]
    }
  }
  statement {
    sid       = "CreateTaggedVolume"
    actions   = ["ec2:CreateVolume"]
    resources = ["arn:${local.partition}:ec2:${var.region}:${local.account}:volume/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/dbfork:managed-by"
      values   = ["dbfork"]
    }
  }
  statement {
    sid       = "CreateVolumeFromDbforkSnapshot"
    actions   = ["ec2:CreateVolume"]
    resources = ["arn:${local.partition}:ec2:${var.region}::snapshot/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/dbfork:managed-by"
      values   = ["dbfork"]
    }
  }
  statement {
    sid     = "TagOnCreate"
    actions = ["ec2:CreateTags"]
    resources = [
      "arn:${local.partition}:ec2:${var.region}:${local.account}:volume/*",
      "arn:${local.partition}:ec2:${var.region}::snapshot/*",
    ]
    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = ["CreateSnapshot", "CreateVolume"]
    }
  }
  statement {
    sid       = "AttachToStagingInstance"
    actions   = ["ec2:AttachVolume"]
    resources = ["arn:${local.partition}:ec2:${var.region}:${local.account}:instance/${var.staging_instance_id}"]
  }
  statement {
    sid       = "AttachStagingVolumes"
    actions   = ["ec2:AttachVolume"]
    resources = ["arn:${local.partition}:ec2:${var.region}:${local.account}:volume/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/dbfork:staging-instance"
      values   = [var.staging_instance_id]
    }
  }
  statement {
    sid     = "SendRestoreCommands"
    actions = ["ssm:SendCommand"]
    resources = [
      "arn:${local.partition}:ec2:${var.region}:${local.account}:instance/${var.staging_instance_id}",
      aws_ssm_document.mongo_restore.arn,
    ]
  }
  statement {
    sid       = "ReadCommandResults"
    actions   = ["ssm:GetCommandInvocation"]
    resources = ["*"]
  }
  statement {
    sid       = "DetachFromStagingInstance"
    actions   = ["ec2:DetachVolume"]
    resources = ["arn:${local.partition}:ec2:${var.region}:${local.account}:instance/${var.staging_instance_id}"]
  }
  statement {
    sid       = "DetachAndDeleteStagingVolumes"
    actions   = ["ec2:DeleteVolume", "ec2:DetachVolume"]
    resources = ["arn:${local.partition}:ec2:${var.region}:${local.account}:volume/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/dbfork:staging-instance"
      values   = [var.staging_instance_id]
    }
  }
  statement {
    sid       = "DeleteOldSnapshots"
    actions   = ["ec2:DeleteSnapshot"]
    resources = ["arn:${local.partition}:ec2:${var.region}::snapshot/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/dbfork:sync-of"
      values   = [aws_ebs_volume.hidden_data.id]
    }
  }
}

resource "aws_iam_policy" "dbfork_ebs_sync" {
  name   = "dbfork-ebs-sync"
  policy = data.aws_iam_policy_document.dbfork_ebs_sync.json
}

resource "aws_iam_role_policy_attachment" "dbfork_ebs_sync" {
  role       = aws_iam_role.dbfork_ebs_sync.name
  policy_arn = aws_iam_policy.dbfork_ebs_sync.arn
}

# --- the MongoDB hosts' role: Run Command, and the parameters their documents read

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "mongo_host" {
  name               = "dbfork-mongo-host"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

resource "aws_iam_role_policy_attachment" "mongo_host_ssm" {
  role       = aws_iam_role.mongo_host.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "mongo_host" {
  statement {
    sid     = "ReadDbforkParameters"
    actions = ["ssm:GetParameter"]
    resources = [
      aws_ssm_parameter.mongo_admin.arn,
      aws_ssm_parameter.mongo_admin_password.arn,
      aws_ssm_parameter.anonymization_key.arn,
    ]
  }
  statement {
    sid       = "DecryptDbforkParameters"
    actions   = ["kms:Decrypt"]
    resources = ["arn:${local.partition}:kms:${var.region}:${local.account}:key/*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ssm.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "mongo_host" {
  name   = "dbfork-mongo-host"
  role   = aws_iam_role.mongo_host.id
  policy = data.aws_iam_policy_document.mongo_host.json
}

resource "aws_iam_instance_profile" "mongo_host" {
  name = "dbfork-mongo-host"
  role = aws_iam_role.mongo_host.name
}

/** An EBS snapshot as dbfork reads it. */
export interface EbsSnapshot {
  readonly id: string;
  readonly volumeId: string;
  /** `pending`, `completed`, `error`, `recoverable`, `recovering`. */
  readonly state: string;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** An EBS volume and where it is attached. */
export interface EbsVolume {
  readonly id: string;
  /** `creating`, `available`, `in-use`, `deleting`, `deleted`, `error`. */
  readonly state: string;
  readonly availabilityZone: string;
  readonly snapshotId?: string;
  readonly attachments: readonly {
    readonly instanceId: string;
    readonly device: string;
    readonly state: string;
  }[];
  readonly tags: Readonly<Record<string, string>>;
}

/** An EC2 instance: its zone, private addresses, tags and the account that owns it. */
export interface Ec2Instance {
  readonly id: string;
  readonly availabilityZone: string;
  readonly ownerId: string;
  readonly privateIps: readonly string[];
  readonly privateDnsNames: readonly string[];
  readonly volumes: readonly { readonly device: string; readonly volumeId: string }[];
  readonly tags: Readonly<Record<string, string>>;
}

/** EC2 tags on creation, `{ Key: Value }`. */
export type Tags = Readonly<Record<string, string>>;

/**
 * What an EBS sync needs from EC2, implemented by `src/aws/` (the only code importing the SDK). Every
 * method throws a DbforkError: TargetError `EBS_API_FAILED` (label `retryable` for throttling and 5xx),
 * PolicyError `EBS_ACCESS_DENIED` when IAM refuses.
 */
export interface Ec2Api {
  instance(id: string): Promise<Ec2Instance | undefined>;
  volume(id: string): Promise<EbsVolume | undefined>;
  /** Snapshots carrying every tag given (`tag:<key>` filters), owned by this account. */
  snapshotsTagged(tags: Tags): Promise<EbsSnapshot[]>;
  /** Volumes carrying every tag given. */
  volumesTagged(tags: Tags): Promise<EbsVolume[]>;
  /** @returns the new snapshot's id */
  createSnapshot(volumeId: string, description: string, tags: Tags): Promise<string>;
  /** @returns the new volume's id */
  createVolume(request: {
    snapshotId: string;
    availabilityZone: string;
    volumeType?: string;
    tags: Tags;
  }): Promise<string>;
  attachVolume(volumeId: string, instanceId: string, device: string): Promise<void>;
  detachVolume(volumeId: string, instanceId: string): Promise<void>;
  deleteVolume(volumeId: string): Promise<void>;
  deleteSnapshot(snapshotId: string): Promise<void>;
}

/** A Run Command invocation's outcome on one instance. */
export interface CommandInvocation {
  /** `Pending`, `InProgress`, `Delayed`, `Success`, `Cancelled`, `TimedOut`, `Failed`, … */
  readonly status: string;
  readonly stdout: string;
  readonly stderr: string;
}

/** A Systems Manager document as installed. */
export interface SsmDocument {
  readonly name: string;
  readonly hash: string;
  readonly latestVersion: string;
}

/** What an EBS sync needs from Systems Manager (Run Command, Parameter Store, documents). */
export interface SsmApi {
  /** A SecureString's value, decrypted. @throws TargetError `EBS_PARAMETER_MISSING` when absent */
  secureParameter(name: string): Promise<string>;
  /** @returns the command id */
  sendCommand(
    document: string,
    instanceId: string,
    parameters: Readonly<Record<string, string>>,
  ): Promise<string>;
  /** Undefined while the invocation is not yet visible. */
  invocation(commandId: string, instanceId: string): Promise<CommandInvocation | undefined>;
  document(name: string): Promise<SsmDocument | undefined>;
  createDocument(name: string, content: string): Promise<void>;
  /** Update the document and make the new version its default. */
  updateDocument(name: string, content: string): Promise<void>;
}

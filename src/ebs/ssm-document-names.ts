/** The Systems Manager documents dbfork ships (`deploy/aws/ssm/<name>.yaml`). */
export const SSM_DOCUMENTS = ['mongo-snapshot', 'mongo-restore', 'replica-init'] as const;

/** The phases of `mongo-restore`, in the order a sync runs them. */
export type RestorePhase = 'restore' | 'anonymize' | 'open';

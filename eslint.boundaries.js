/**
 * The dependency rules of docs/architecture.md as `no-restricted-imports` zones: which folders of
 * `src/` a folder may import, where the MongoDB driver may be imported (the adapter only) and where
 * `bson` may (where documents are encoded or decoded). One config block per folder and depth, since
 * a later block's rule options replace an earlier one's for the same file.
 */

/** Every top-level folder of src/ that the rules know. */
const FOLDERS = [
  'errors',
  'core',
  'streams',
  'archive',
  'codec',
  'config',
  'transform',
  'policy',
  'store',
  'source',
  'subset',
  'target',
  'restore',
  'mongodb',
  'plan',
  'metrics',
  'schedule',
  'preview',
  'deploy',
  'action',
  'rds',
  'ebs',
  'aws',
  'pipeline',
  'cli',
];

/**
 * What each folder may import besides itself. `archive-contract` stands for the archive files every
 * stage shares with the dump stream: the metadata.json codec, the CRC-64 the manifests carry and the
 * per-namespace tally of counts and checksums.
 * Folders not listed here (pipeline, cli: the composition root) may import any folder.
 */
const ALLOWED = {
  errors: [],
  core: ['errors'],
  streams: ['core', 'errors'],
  archive: ['core', 'errors', 'streams'],
  config: ['core', 'errors'],
  transform: ['core', 'errors', 'config', 'archive-contract', 'policy-detectors'],
  policy: ['core', 'errors', 'config', 'transform', 'archive-contract'],
  codec: ['core', 'errors'],
  store: ['core', 'errors', 'streams'],
  source: ['core', 'errors'],
  subset: ['core', 'errors', 'config'],
  target: ['core', 'errors'],
  restore: ['core', 'errors', 'streams', 'target', 'archive-contract'],
  mongodb: ['core', 'errors', 'streams', 'source', 'subset', 'target', 'archive-contract'],
  plan: ['core', 'errors'],
  metrics: ['core', 'errors'],
  schedule: ['core', 'errors', 'metrics'],
  preview: ['core', 'errors', 'config'],
  deploy: ['core', 'errors', 'config', 'policy'],
  action: ['core', 'errors', 'config', 'preview'],
  rds: ['core', 'errors', 'plan'],
  ebs: ['core', 'errors', 'plan'],
  aws: ['core', 'errors', 'rds', 'ebs'],
};

const ARCHIVE_CONTRACT = ['collection-metadata', 'crc64', 'document-tally', 'bson-structure', 'objcheck'];

/** Where `bson` may be imported: folders, then single files (paths under src/). */
const BSON_FOLDERS = ['archive', 'transform', 'mongodb'];
const BSON_FILES = [
  'config/validate-rules.ts',
  'policy/scan-events.ts',
  'pipeline/manifest-collections.ts',
  'pipeline/inspect-dump.ts',
  'cli/commands/snapshot-create.ts',
  'cli/subset-options.ts',
  'subset/sqlite-closure-memory.ts',
  'pipeline/dump-subset-reader.ts',
  'pipeline/subset-restore.ts',
  'pipeline/json-value.ts',
  'pipeline/operations/snapshot-capture-operation.ts',
];

const DRIVER = {
  name: 'mongodb',
  message:
    'only src/mongodb/ (the MongoDB adapter) imports the driver; use the source/ and target/ interfaces',
};
/** The RDS, STS, EC2 and SSM SDKs: only the AWS adapter (src/aws/) imports them. */
const AWS_SDKS = [
  '@aws-sdk/client-rds',
  '@aws-sdk/client-sts',
  '@aws-sdk/client-ec2',
  '@aws-sdk/client-ssm',
].map((name) => ({
  name,
  message:
    'only src/aws/ (the AWS adapter) imports the AWS SDKs; use the RdsApi port of src/rds/ or the Ec2Api and SsmApi ports of src/ebs/',
}));
const BSON = {
  name: 'bson',
  message: 'bson is for code that encodes or decodes documents (see the bson lists in eslint.boundaries.js)',
};

/** The import patterns a file `depth` folders below src/<folder> must not use. */
function stagePatterns(folder, depth) {
  const allowed = ALLOWED[folder];
  if (allowed === undefined) return [];
  const up = '\\.\\./'.repeat(depth);
  const denied = FOLDERS.filter(
    (f) =>
      f !== folder &&
      !allowed.includes(f) &&
      !(f === 'archive' && allowed.includes('archive-contract')) &&
      !(f === 'policy' && allowed.includes('policy-detectors')),
  );
  const message = `src/${folder}/ may import only ${allowed.join(', ') || 'nothing'} (docs/architecture.md)`;
  const patterns = [{ regex: `^${up}(${denied.join('|')})(/|$)`, message }];
  if (allowed.includes('archive-contract') && folder !== 'archive') {
    patterns.push({
      regex: `^${up}archive/(?!(${ARCHIVE_CONTRACT.join('|')})\\.js$)`,
      message: `${message}: from archive/, only ${ARCHIVE_CONTRACT.map((f) => `${f}.ts`).join(' and ')}`,
    });
  }
  if (allowed.includes('policy-detectors')) {
    // the personal-data detectors are pure text functions: `redact` finds what the scan finds
    patterns.push({
      regex: `^${up}policy/(?!detectors/)`,
      message: `${message}: from policy/, only the detectors (policy/detectors/)`,
    });
  }
  return patterns;
}

function rule(folder, depth, bsonAllowed) {
  const paths = [];
  if (folder !== 'mongodb') paths.push(DRIVER);
  if (folder !== 'aws') paths.push(...AWS_SDKS);
  if (!bsonAllowed) paths.push(BSON);
  return { 'no-restricted-imports': ['error', { paths, patterns: stagePatterns(folder, depth) }] };
}

const MAX_DEPTH = 3;

export const boundaries = [
  { files: ['src/*.ts'], rules: rule('', 0, false) },
  ...FOLDERS.flatMap((folder) =>
    Array.from({ length: MAX_DEPTH }, (_, i) => ({
      files: [`src/${folder}/${'*/'.repeat(i)}*.ts`],
      rules: rule(folder, i + 1, BSON_FOLDERS.includes(folder)),
    })),
  ),
  ...BSON_FILES.map((file) => {
    const folder = file.split('/')[0];
    return { files: [`src/${file}`], rules: rule(folder, file.split('/').length - 1, true) };
  }),
];

/**
 * A rewrite worker (worker_threads entry point): builds the same engine as the main thread from the
 * rules and the key, plans the prelude's namespaces in the same order, swaps every uniqueness
 * registry for a {@link RecordingRegistry}, then rewrites the batches it is sent. Any error of a
 * document's rewrite only marks the document failed: the main thread rewrites it and reports the
 * error exactly as without workers.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { NamespacePlan } from '../anonymizer.js';
import { Anonymizer } from '../anonymizer.js';
import type { DocumentRewriter } from '../document-rewriter.js';
import { loadAnonymizationKey, KEY_ENV } from '../load-anonymization-key.js';
import { parallelPlan } from './parallel-plan.js';
import { ClaimLog, RecordingRegistry } from './recording-registry.js';
import type { BatchRequest, BatchResult, WorkerInit, WorkerMessage } from './worker-protocol.js';

if (parentPort === null) throw new Error('anonymize-worker runs as a worker thread');
const port: MessagePort = parentPort;
const init = workerData as WorkerInit;

const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

async function start(): Promise<void> {
  const hasher = await loadAnonymizationKey({
    ...(init.key.keyFile === undefined ? {} : { keyFile: init.key.keyFile }),
    env: init.key.key === undefined ? {} : { [KEY_ENV]: init.key.key },
    insecureUnkeyed: init.key.insecureUnkeyed,
  });
  if (hasher.fingerprint !== init.fingerprint) {
    post({ type: 'refused', reason: 'the key read by the worker differs from the main thread’s' });
    return;
  }
  const anonymizer = new Anonymizer(init.rules, hasher);
  const planned = init.collections.map((entry) => ({ entry, plan: anonymizer.plan(entry) }));
  const { eligible, uniqueDomains } = parallelPlan(anonymizer, planned);
  const log = new ClaimLog();
  uniqueDomains.forEach((domain, i) => {
    domain.registry = new RecordingRegistry(domain.name, init.rules.uniqueMaxEntries, i, log);
  });
  const rewriters = new Map<string, DocumentRewriter>();
  for (const { plan } of planned)
    if (eligible.has(plan.namespace)) rewriters.set(plan.namespace, rewriterOf(plan));
  port.on('message', (request: BatchRequest) => {
    const result = rewriteBatch(request, rewriters.get(request.namespace) ?? null, log);
    post({ type: 'done', ...result }, [result.bytes.buffer as ArrayBuffer]);
  });
  post({ type: 'ready', domains: uniqueDomains.map((d) => d.name) });
}

function rewriterOf(plan: NamespacePlan): DocumentRewriter {
  if (plan.rewriter === null) throw new Error(`${plan.namespace} has no rules`);
  return plan.rewriter;
}

/** Rewrite every document of a batch; an unknown namespace fails them all (the main thread redoes them). */
function rewriteBatch(request: BatchRequest, rewriter: DocumentRewriter | null, log: ClaimLog): BatchResult {
  const count = request.ends.length;
  const outputs: Uint8Array[] = [];
  const failed = new Uint8Array(count);
  const claimEnds = new Uint32Array(count);
  log.clear();
  let start = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const end = request.ends[i] as number;
    const bson = request.bytes.subarray(start, end);
    start = end;
    const before = log.length;
    let out: Uint8Array | null = null;
    if (rewriter !== null) {
      try {
        out = rewriter.rewrite(bson, request.firstOrdinal + i);
      } catch {
        out = null;
      }
    }
    if (out === null) {
      failed[i] = 1;
      log.truncate(before);
      outputs.push(EMPTY);
    } else {
      outputs.push(out);
      total += out.length;
    }
    claimEnds[i] = log.length;
  }
  const bytes = new Uint8Array(new ArrayBuffer(total));
  const ends = new Uint32Array(count);
  let at = 0;
  outputs.forEach((out, i) => {
    bytes.set(out, at);
    at += out.length;
    ends[i] = at;
  });
  return {
    id: request.id,
    bytes,
    ends,
    failed,
    claimEnds,
    claimDomains: Uint16Array.from(log.domains),
    claimOutputs: log.outputs,
    claimOriginals: log.originals,
    claimAccepted: Uint8Array.from(log.accepted),
  };
}

const EMPTY = new Uint8Array(0);

start().catch((error: unknown) => {
  post({ type: 'refused', reason: error instanceof Error ? error.message : String(error) });
});

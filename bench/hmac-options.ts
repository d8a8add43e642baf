/**
 * Benchmark: ways to compute the engine's keyed digest (HMAC-SHA-256 over
 * `"dbfork/v1" 0x00 <domain> 0x00 <input>`) per value, on one core, checking they agree byte for byte.
 *
 * - node createHmac: one HMAC object per value (the engine's choice, src/transform/hasher.ts);
 * - node crypto.hash x2: HMAC by its definition, two one-shot SHA-256 calls (`crypto.hash`) over a
 *   scratch buffer holding the padded key and the prefix (no crypto object per value);
 * - node-copy: node:crypto with the inner/outer states prepared once and `Hash.copy()` per value;
 * - hash-wasm save/load: one reused wasm SHA-256 instance, the prepared inner/outer states restored
 *   with `load()` per value (no object per value);
 * - hash-wasm HMAC: one reused `createHMAC` instance, `init()` per value (domain prefix re-hashed).
 *
 * Prints values per CPU second (user + system, best of 5 rounds taken in turn) and the ratio to
 * createHmac. Run: `npx tsx bench/hmac-options.ts [values]` (default 300000)
 */
import { createHash, createHmac, hash } from 'node:crypto';
import { createHMAC, createSHA256 } from 'hash-wasm';

const N = Number(process.argv[2] ?? 300_000);
const key = Buffer.from('bench-key-0123456789abcdef');
const prefix = Buffer.from('dbfork/v1\0rule:bench.customers:email\0', 'utf8');
const inputs = Array.from({ length: 1000 }, (_, i) => Buffer.from(`user${i}@example.com`));

const ipad = Buffer.alloc(64, 0x36);
const opad = Buffer.alloc(64, 0x5c);
for (let i = 0; i < key.length; i++) {
  ipad[i]! ^= key[i]!;
  opad[i]! ^= key[i]!;
}

const inner = createHash('sha256').update(ipad).update(prefix);
const outer = createHash('sha256').update(opad);
const nodeCopy = (v: Uint8Array): Uint8Array => outer.copy().update(inner.copy().update(v).digest()).digest();

const sha = await createSHA256();
sha.init().update(ipad).update(prefix);
const innerState = sha.save();
sha.init().update(opad);
const outerState = sha.save();
const wasmSaveLoad = (v: Uint8Array): Uint8Array => {
  sha.load(innerState).update(v);
  const h = sha.digest('binary');
  return sha.load(outerState).update(h).digest('binary');
};

const hmac = await createHMAC(createSHA256(), key);
const wasmHmac = (v: Uint8Array): Uint8Array => hmac.init().update(prefix).update(v).digest('binary');

const reference = (v: Uint8Array): Buffer => createHmac('sha256', key).update(prefix).update(v).digest();

const scratch = Buffer.alloc(64 + prefix.length + 256);
scratch.set(ipad);
scratch.set(prefix, 64);
const outerBlock = Buffer.alloc(96);
outerBlock.set(opad);
const oneShot = (v: Uint8Array): Uint8Array => {
  scratch.set(v, 64 + prefix.length);
  outerBlock.set(hash('sha256', scratch.subarray(0, 64 + prefix.length + v.length), 'buffer'), 64);
  return hash('sha256', outerBlock, 'buffer');
};

const options: Array<[string, (v: Uint8Array) => Uint8Array]> = [
  ['node createHmac per value', reference],
  ['node crypto.hash x2', oneShot],
  ['node-copy (Hash.copy)', nodeCopy],
  ['hash-wasm SHA-256 save/load', wasmSaveLoad],
  ['hash-wasm HMAC init per value', wasmHmac],
];
for (const [name, f] of options) {
  for (const v of inputs) if (!Buffer.from(f(v)).equals(reference(v))) throw new Error(`${name} differs`);
}
// CPU seconds of this thread (user + system), best of 5 rounds taken in turn, so that other work on
// the machine neither slows one option more than another nor counts against it
const best = options.map(() => Infinity);
for (let r = 0; r < 5; r++) {
  options.forEach(([, f], o) => {
    const t = process.cpuUsage();
    for (let i = 0; i < N; i++) f(inputs[i % inputs.length]!);
    const u = process.cpuUsage(t);
    best[o] = Math.min(best[o]!, (u.user + u.system) / 1e6);
  });
}
options.forEach(([name], o) => {
  const seconds = best[o]!;
  console.log(
    `${name.padEnd(32)} ${(N / seconds / 1e3).toFixed(0).padStart(6)} k/CPU s  ${(best[0]! / seconds).toFixed(2)}x`,
  );
});

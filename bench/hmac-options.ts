/**
 * Benchmark: ways to compute the engine's keyed digest (HMAC-SHA-256 over
 * `"dbfork/v1" 0x00 <domain> 0x00 <input>`) per value, on one core, checking they agree byte for byte.
 *
 * - node createHmac: one HMAC object per value (the engine's choice);
 * - node-copy: node:crypto with the inner/outer states prepared once and `Hash.copy()` per value;
 * - hash-wasm save/load: one reused wasm SHA-256 instance, the prepared inner/outer states restored
 *   with `load()` per value (no object per value);
 * - hash-wasm HMAC: one reused `createHMAC` instance, `init()` per value (domain prefix re-hashed).
 *
 * Run: `npx tsx bench/hmac-options.ts [values]` (default 300000)
 */
import { createHash, createHmac } from 'node:crypto';
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

const options: Array<[string, (v: Uint8Array) => Uint8Array]> = [
  ['node createHmac per value', reference],
  ['node-copy (previous engine)', nodeCopy],
  ['hash-wasm SHA-256 save/load', wasmSaveLoad],
  ['hash-wasm HMAC init per value', wasmHmac],
];
for (const [name, f] of options) {
  for (const v of inputs) if (!Buffer.from(f(v)).equals(reference(v))) throw new Error(`${name} differs`);
}
const base: number[] = [];
for (const [name, f] of options) {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) f(inputs[i % inputs.length]!);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
  }
  base.push(best);
  console.log(
    `${name.padEnd(32)} ${(N / best / 1e3).toFixed(0).padStart(6)} k/s  ${(base[0]! / best).toFixed(2)}x`,
  );
}

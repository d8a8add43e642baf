/**
 * Named crash points for the interruption tests. When `DBFORK_TEST_CRASH_AT` names a point, the
 * process kills itself with SIGKILL the moment it reaches it, exactly like an OOM kill or a pulled
 * plug, so tests can prove that every stage leaves nothing half-done. Format: `<point>` or
 * `<point>:<n>` (the n-th time that point is reached, 1-based). Unset in production: one env lookup.
 */
const hits = new Map<string, number>();

export function crashPoint(point: string): void {
  const spec = process.env.DBFORK_TEST_CRASH_AT;
  if (!spec) return;
  const colon = spec.lastIndexOf(':');
  const hasCount = colon > 0 && /^\d+$/.test(spec.slice(colon + 1));
  const name = hasCount ? spec.slice(0, colon) : spec;
  if (name !== point) return;
  const wanted = hasCount ? Number(spec.slice(colon + 1)) : 1;
  const seen = (hits.get(point) ?? 0) + 1;
  hits.set(point, seen);
  if (seen === wanted) process.kill(process.pid, 'SIGKILL');
}

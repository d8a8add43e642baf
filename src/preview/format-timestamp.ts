/** `2026-01-09T03:00:12Z` → `2026-01-09 03:00 UTC`; null or unreadable → `not yet known`. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return 'not yet known';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

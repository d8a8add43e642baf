const MARKER = /<!-- dbfork:event=([A-Za-z0-9._:-]+) -->/;

/** An event id made safe for the marker: characters outside `[A-Za-z0-9._:-]` become `-`. */
export function markerId(eventId: string): string {
  return eventId.replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 200) || 'event';
}

/** The hidden marker every comment of event `eventId` ends with: `<!-- dbfork:event=<id> -->`. */
export function commentMarker(eventId: string): string {
  return `<!-- dbfork:event=${markerId(eventId)} -->`;
}

/** The event id of a comment's marker, or null when the comment has none (not one of dbfork's). */
export function markerOf(commentBody: string): string | null {
  return MARKER.exec(commentBody)?.[1] ?? null;
}

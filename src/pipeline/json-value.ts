import { EJSON } from 'bson';

/**
 * A value as plain JSON for a plan's preview: BSON values in relaxed Extended JSON (Int64 as a
 * number, dates as `{"$date": …}`), `undefined` dropped.
 */
export function toJsonValue(value: Record<string, unknown>): Record<string, never> {
  return JSON.parse(EJSON.stringify(value, { relaxed: true })) as Record<string, never>;
}

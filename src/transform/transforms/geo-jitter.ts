import { Double } from 'bson';
import { isDocument, isDouble, isInt32, isLong } from '../bson-value.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';
import { unitFromSeed } from '../seed-bytes.js';

/** Mean Earth radius in metres (IUGG), the sphere MongoDB's 2dsphere uses too. */
const EARTH_RADIUS_M = 6_371_008.8;

const numberOf = (v: unknown): number | null =>
  typeof v === 'number' ? v : isDouble(v) || isInt32(v) ? v.value : isLong(v) ? v.toNumber() : null;

/**
 * Move `[lng, lat]` (degrees) by `distance` metres along `bearing` (radians from north) on the
 * sphere (the destination-point formula), then keep it a valid 2dsphere position: latitude clamped
 * to [−90, 90], longitude wrapped to [−180, 180].
 */
function movePoint(lng: number, lat: number, distance: number, bearing: number): [number, number] {
  const δ = distance / EARTH_RADIUS_M;
  const φ1 = (lat * Math.PI) / 180;
  const λ1 = (lng * Math.PI) / 180;
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(δ) + Math.cos(φ1) * Math.sin(δ) * Math.cos(bearing));
  const λ2 =
    λ1 +
    Math.atan2(Math.sin(bearing) * Math.sin(δ) * Math.cos(φ1), Math.cos(δ) - Math.sin(φ1) * Math.sin(φ2));
  const outLat = Math.max(-90, Math.min(90, (φ2 * 180) / Math.PI));
  let outLng = (((((λ2 * 180) / Math.PI + 540) % 360) + 360) % 360) - 180;
  if (outLng === -180 && lng > 0) outLng = 180;
  return [outLng, outLat];
}

/**
 * `geo_jitter`: a GeoJSON Point `{ type: 'Point', coordinates: [lng, lat] }` moved by a keyed
 * distance of at most `radius_m` metres (uniform over the disc) in a keyed direction, keyed by the
 * original coordinates (equal points move alike). Other keys of the point are kept; coordinates come
 * back as doubles (a third, altitude, coordinate is kept). Accepts GeoJSON Points only.
 */
export function geoJitterTransform(options: { radiusM: number }): FieldTransform {
  const { radiusM } = options;
  return {
    wholeValue: false,
    retryable: true,
    apply(value, { digest, attempt }) {
      if (!isDocument(value) || value.type !== 'Point' || !Array.isArray(value.coordinates)) {
        throw new TypeMismatch('a GeoJSON Point');
      }
      const [lng, lat] = value.coordinates.map(numberOf);
      if (lng === null || lat === null || lng === undefined || lat === undefined) {
        throw new TypeMismatch('a GeoJSON Point with numeric coordinates');
      }
      if (Math.abs(lat) > 90 || Math.abs(lng) > 180)
        throw new TypeMismatch('a Point within [−180,180]×[−90,90]');
      const key = Buffer.alloc(16);
      key.writeDoubleBE(lng, 0);
      key.writeDoubleBE(lat, 8);
      const seed = digest(key, attempt);
      const distance = radiusM * Math.sqrt(unitFromSeed(seed, 0));
      const bearing = 2 * Math.PI * unitFromSeed(seed, 6);
      const [outLng, outLat] = movePoint(lng, lat, distance, bearing);
      const coordinates: unknown[] = [new Double(outLng), new Double(outLat), ...value.coordinates.slice(2)];
      return { ...value, coordinates };
    },
  };
}

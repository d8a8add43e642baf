import { isDouble, isInt32, isLong } from '../transform/bson-value.js';
import { cardDetector } from './detectors/card.js';
import { DETECTORS, type DetectorName } from './detectors/index.js';

/**
 * Run the personal-data detectors on one decoded BSON value: every detector on strings, the card
 * detector on 13–19-digit integers. Returns `[detector, matched text]` pairs (none for other types).
 */
export function detectValue(value: unknown): [DetectorName, string][] {
  if (typeof value === 'string') {
    const out: [DetectorName, string][] = [];
    for (const detector of DETECTORS)
      for (const match of detector.find(value)) out.push([detector.name, match]);
    return out;
  }
  if (isLong(value) || isInt32(value) || isDouble(value) || typeof value === 'number') {
    const text = isLong(value) ? value.toString() : String(typeof value === 'number' ? value : value.value);
    if (/^\d{13,19}$/.test(text)) return cardDetector.find(text).map((m) => ['card', m]);
  }
  return [];
}

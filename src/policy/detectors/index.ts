import { cardDetector } from './card.js';
import type { Detector } from './detector.js';
import { emailDetector } from './email.js';
import { ibanDetector } from './iban.js';
import { ipDetector } from './ip.js';
import { personNameDetector } from './person-name.js';
import { phoneDetector } from './phone.js';
import { streetAddressDetector } from './street-address.js';

export type { Detector, DetectorName } from './detector.js';
export { luhnValid } from './card.js';
export { ibanValid } from './iban.js';

/** Every detector, in report order. A string is reported once per detector that matches it. */
export const DETECTORS: readonly Detector[] = [
  emailDetector,
  phoneDetector,
  ipDetector,
  cardDetector,
  ibanDetector,
  streetAddressDetector,
  personNameDetector,
];

import { matchesOf, type Detector } from './detector.js';

// local@domain.tld anywhere in text; the TLD needs a letter (so `1.2@3.4` is not an address)
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*/g;

/** Email addresses, including inside free text ("write to ann@x.org today"). */
export const emailDetector: Detector = {
  name: 'email',
  find: (text) => (text.includes('@') ? matchesOf(EMAIL, text) : []),
};

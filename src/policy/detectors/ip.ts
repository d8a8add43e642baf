import { isIPv4, isIPv6 } from 'node:net';
import { matchesOf, type Detector } from './detector.js';

const V4 = /(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.]*\d)/g;
const V6 = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])/g;

/** IPv4 and IPv6 addresses (validated with node:net), including inside free text. */
export const ipDetector: Detector = {
  name: 'ip',
  find: (text) => [
    ...(text.includes('.') ? matchesOf(V4, text, isIPv4) : []),
    ...(text.includes(':')
      ? matchesOf(V6, text, (m) => isIPv6(m) && (m.match(/[0-9A-Fa-f]+/g)?.length ?? 0) >= 2)
      : []),
  ],
};

/** Types of the `ff3` package (mysto/node-fpe, NIST SP 800-38G Rev. 1 FF3-1), which ships none. */
declare module 'ff3' {
  /** Throws strings (not Errors) for a bad key length, radix, message length or tweak. */
  export default class FF3Cipher {
    /**
     * @param key AES key as hex (16, 24 or 32 bytes)
     * @param tweak 7 bytes (FF3-1) or 8 bytes (FF3) as hex
     * @param radix 2–36; plaintext characters are the digits `0-9a-z` of that radix
     */
    constructor(key: string, tweak: string, radix?: number);
    readonly minLen: number;
    readonly maxLen: number;
    encrypt(plaintext: string): string;
    decrypt(ciphertext: string): string;
  }
}

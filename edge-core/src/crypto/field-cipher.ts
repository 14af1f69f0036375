// Field-level encryption of personal data at rest (ID numbers, bank cards, photos, face
// templates): AES-256-GCM with a random 96-bit nonce per value and the column name as
// associated data, so a ciphertext moved to another column fails to decrypt.
// Lookups (find a worker by ID number) use a keyed hash (HMAC-SHA-256) instead.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, type DecipherGCM } from 'node:crypto';
import { readSync } from 'node:fs';

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEAD_BYTES = 1 + NONCE_BYTES + TAG_BYTES;
/** decryptFileRange reads and deciphers this much at a time. */
const DECIPHER_CHUNK = 4 * 1024 * 1024;

export class DecryptionError extends Error {
  constructor(context: string) {
    super(`cannot decrypt ${context}: wrong device key or corrupted value`);
    this.name = 'DecryptionError';
  }
}

export class FieldCipher {
  readonly #encKey: Buffer;
  readonly #macKey: Buffer;

  constructor(encKey: Buffer, macKey: Buffer) {
    if (encKey.length !== 32 || macKey.length !== 32) throw new Error('field cipher keys must be 32 bytes');
    this.#encKey = encKey;
    this.#macKey = macKey;
  }

  /** Encrypts bytes; layout: version(1) | nonce(12) | tag(16) | ciphertext. */
  encrypt(plain: Buffer | Uint8Array, column: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#encKey, nonce);
    cipher.setAAD(Buffer.from(column, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.of(VERSION), nonce, cipher.getAuthTag(), body]);
  }

  decrypt(sealed: Buffer | Uint8Array, column: string): Buffer {
    const buf = Buffer.isBuffer(sealed) ? sealed : Buffer.from(sealed);
    const decipher = this.#decipher(buf, column);
    try {
      return Buffer.concat([decipher.update(buf.subarray(HEAD_BYTES)), decipher.final()]);
    } catch {
      throw new DecryptionError(column);
    }
  }

  /**
   * decrypt() of the sealed bytes at [start, end) of an open file, read and deciphered in
   * chunks into one buffer: a large payload (the gallery snapshot, ~130 MB at 50k identities)
   * is never held twice, and a single update() of that size ran at a third of the speed on
   * the 2-core PCs measured.
   */
  decryptFileRange(fd: number, start: number, end: number, column: string): Buffer {
    const head = Buffer.alloc(HEAD_BYTES);
    if (end - start < HEAD_BYTES || readSync(fd, head, 0, HEAD_BYTES, start) !== HEAD_BYTES) throw new DecryptionError(column);
    const decipher = this.#decipher(head, column);
    const out = Buffer.allocUnsafeSlow(end - start - HEAD_BYTES);
    const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(DECIPHER_CHUNK, out.length)));
    let at = 0;
    try {
      for (let pos = start + HEAD_BYTES; pos < end; ) {
        const n = readSync(fd, chunk, 0, Math.min(chunk.length, end - pos), pos);
        if (n <= 0) throw new Error('short read');
        at += decipher.update(chunk.subarray(0, n)).copy(out, at);
        pos += n;
      }
      at += decipher.final().copy(out, at);
    } catch {
      throw new DecryptionError(column);
    }
    return at === out.length ? out : out.subarray(0, at);
  }

  /** A decipher set up from a sealed value's head (version, nonce, tag) and its column. */
  #decipher(head: Buffer, column: string): DecipherGCM {
    if (head.length < HEAD_BYTES || head[0] !== VERSION) throw new DecryptionError(column);
    const decipher = createDecipheriv('aes-256-gcm', this.#encKey, head.subarray(1, 1 + NONCE_BYTES));
    decipher.setAAD(Buffer.from(column, 'utf8'));
    decipher.setAuthTag(head.subarray(1 + NONCE_BYTES, HEAD_BYTES));
    return decipher;
  }

  encryptText(text: string, column: string): Buffer {
    return this.encrypt(Buffer.from(text, 'utf8'), column);
  }

  decryptText(sealed: Buffer | Uint8Array, column: string): string {
    return this.decrypt(sealed, column).toString('utf8');
  }

  /** Keyed hash for equality lookups; normalises case and surrounding spaces. */
  lookupHash(value: string, purpose: string): string {
    return createHmac('sha256', this.#macKey).update(`${purpose}\u0000${value.trim().toUpperCase()}`).digest('hex');
  }

  /** HMAC-SHA256 with the device's MAC key over `purpose` and `data` (purposes are kept apart). */
  mac(purpose: string, data: Uint8Array): Buffer {
    return createHmac('sha256', this.#macKey).update(`${purpose}\u0000`).update(data).digest();
  }

  /** A value that identifies the key without revealing it, stored in the database to detect a wrong key. */
  keyCheck(): string {
    return createHmac('sha256', this.#macKey).update('sitegate-key-check-v1').digest('hex').slice(0, 32);
  }
}

// Field-level encryption of personal data at rest (ID numbers, bank cards, photos, face
// templates): AES-256-GCM with a random 96-bit nonce per value and the column name as
// associated data, so a ciphertext moved to another column fails to decrypt.
// Lookups (find a worker by ID number) use a keyed hash (HMAC-SHA-256) instead.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

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
    if (buf.length < 1 + NONCE_BYTES + TAG_BYTES || buf[0] !== VERSION) throw new DecryptionError(column);
    const nonce = buf.subarray(1, 1 + NONCE_BYTES);
    const tag = buf.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#encKey, nonce);
    decipher.setAAD(Buffer.from(column, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(buf.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new DecryptionError(column);
    }
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

  /** A value that identifies the key without revealing it, stored in the database to detect a wrong key. */
  keyCheck(): string {
    return createHmac('sha256', this.#macKey).update('sitegate-key-check-v1').digest('hex').slice(0, 32);
  }
}

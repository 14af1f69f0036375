// The appliance's Ed25519 signing key. Its 32-byte seed is derived (HKDF) from the device key,
// so it is created with the device key at first start, protected exactly like it (0600 file,
// optional platform protector) and restored with it; no second secret file to lose.
import { createPrivateKey, createPublicKey, createHash, hkdfSync, sign, verify, type KeyObject } from 'node:crypto';

// DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// DER prefix of an SPKI Ed25519 public key; the 32-byte key follows.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface EventSigner {
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
  /** Short fingerprint to compare by eye with the one registered on the platform. */
  readonly fingerprint: string;
  sign(message: Buffer): Buffer;
}

export function signingSeedFromDeviceKey(rawDeviceKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', rawDeviceKey, Buffer.alloc(0), 'sitegate event signing v1', 32));
}

export function publicKeyFingerprint(publicKey: Buffer): string {
  const hex = createHash('sha256').update(publicKey).digest('hex').slice(0, 16).toUpperCase();
  return hex.match(/.{4}/g)?.join('-') ?? hex;
}

export function createEventSigner(seed: Buffer): EventSigner {
  if (seed.length !== 32) throw new Error('an Ed25519 seed has 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = Buffer.from(spki.subarray(spki.length - 32));
  return {
    publicKey,
    fingerprint: publicKeyFingerprint(publicKey),
    sign: (message) => sign(null, message, privateKey),
  };
}

export function importPublicKey(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new Error(`an Ed25519 public key has 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function verifySignature(publicKey: KeyObject, message: Buffer, signature: Buffer): boolean {
  if (signature.length !== 64) return false;
  return verify(null, message, publicKey, signature);
}

// Encryption of sensitive fields (idCardNumber, payRollBankCardNumber) inside `data`.
//
// National shape: AES-256-CBC, PKCS#7 padding, key = appsecret as UTF-8 bytes, IV = the first
// 16 characters of the appsecret (UTF-8 bytes), output Base64.
//
// Key length: AES-256 needs exactly 32 bytes. Platforms issue 32-character secrets, so the
// default `keyFit: 'strict'` refuses any other length with a configuration error instead of
// silently deriving a different key (which would make every record fail to decrypt on the
// platform side with a confusing -1). For platforms known to pad or cut the secret, choose
// 'zero-pad' (right-pad with 0x00 to 32 bytes, or cut to 32) explicitly. The IV needs 16
// bytes: a secret shorter than 16 bytes is refused in every mode.
//
// DES variant: DES-CBC with key = IV = the first 8 bytes of the secret. OpenSSL 3 ships
// single DES only in its legacy provider; DES-EDE (two-key triple DES) with both keys equal
// is single DES by construction (E_k(D_k(E_k(x))) = E_k(x)), which is how it is computed here.
import { createCipheriv, createDecipheriv } from 'node:crypto';

export interface FieldCrypto {
  readonly name: string;
  encrypt(plain: string): string;
  /** Throws FieldCryptoError when the value does not decrypt with this secret. */
  decrypt(cipherText: string): string;
}

export class FieldCryptoError extends Error {
  override name = 'FieldCryptoError';
}

export type KeyFit = 'strict' | 'zero-pad';

function fitKey(secret: Buffer, size: number, fit: KeyFit): Buffer {
  if (secret.length === size) return secret;
  if (fit === 'strict') {
    throw new FieldCryptoError(
      `appsecret is ${secret.length} bytes but the field cipher needs exactly ${size}; check the secret, or set fieldKeyFit to 'zero-pad' if the platform pads it`,
    );
  }
  const out = Buffer.alloc(size, 0);
  secret.copy(out, 0, 0, Math.min(size, secret.length));
  return out;
}

function blockCipher(name: string, algorithm: string, key: Buffer, iv: Buffer): FieldCrypto {
  return {
    name,
    encrypt(plain) {
      const c = createCipheriv(algorithm, key, iv);
      return Buffer.concat([c.update(plain, 'utf8'), c.final()]).toString('base64');
    },
    decrypt(cipherText) {
      const raw = Buffer.from(cipherText, 'base64');
      if (raw.length === 0 || raw.toString('base64').replace(/=+$/, '') !== cipherText.trim().replace(/=+$/, '')) {
        throw new FieldCryptoError('encrypted field is not Base64');
      }
      try {
        const d = createDecipheriv(algorithm, key, iv);
        return Buffer.concat([d.update(raw), d.final()]).toString('utf8');
      } catch {
        throw new FieldCryptoError('encrypted field does not decrypt with this appsecret');
      }
    },
  };
}

export function aesFieldCrypto(appsecret: string, keyFit: KeyFit = 'strict'): FieldCrypto {
  const secret = Buffer.from(appsecret, 'utf8');
  if (secret.length < 16) throw new FieldCryptoError(`appsecret is ${secret.length} bytes; at least 16 are needed for the IV`);
  const key = fitKey(secret, 32, keyFit);
  const iv = Buffer.from(appsecret.slice(0, 16), 'utf8').subarray(0, 16);
  return blockCipher('aes-256-cbc', 'aes-256-cbc', key, iv);
}

export function desFieldCrypto(appsecret: string): FieldCrypto {
  const secret = Buffer.from(appsecret, 'utf8');
  if (secret.length < 8) throw new FieldCryptoError(`appsecret is ${secret.length} bytes; DES needs at least 8`);
  const k = secret.subarray(0, 8);
  return blockCipher('des-cbc', 'des-ede-cbc', Buffer.concat([k, k]), Buffer.from(k));
}

export type FieldCryptoName = 'aes-256-cbc' | 'des-cbc';

export function fieldCryptoByName(name: FieldCryptoName, appsecret: string, keyFit: KeyFit = 'strict'): FieldCrypto {
  if (name === 'aes-256-cbc') return aesFieldCrypto(appsecret, keyFit);
  if (name === 'des-cbc') return desFieldCrypto(appsecret);
  throw new FieldCryptoError(`unknown field cipher '${String(name)}'`);
}

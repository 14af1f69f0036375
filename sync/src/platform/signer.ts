// Request signatures. National shape: sort the parameters (without `sign`) by key, join as
// `k=v&…`, append `&appsecret=SECRET`, lower-case everything, hex(SHA-256). Some provinces
// use MD5 over the same string; both are Signer values so a variant is configuration.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface Signer {
  readonly name: string;
  sign(params: Readonly<Record<string, string>>, appsecret: string): string;
}

/** The string that is hashed. Values are used raw (not URL-encoded), as the platform does. */
export function canonicalString(params: Readonly<Record<string, string>>, appsecret: string): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign')
    .sort();
  const joined = keys.map((k) => `${k}=${params[k] ?? ''}`).join('&');
  return `${joined}&appsecret=${appsecret}`.toLowerCase();
}

function hashSigner(name: string, algorithm: 'sha256' | 'md5'): Signer {
  return {
    name,
    sign: (params, appsecret) => createHash(algorithm).update(canonicalString(params, appsecret), 'utf8').digest('hex'),
  };
}

export const sha256Signer: Signer = hashSigner('sha256', 'sha256');
export const md5Signer: Signer = hashSigner('md5', 'md5');

export function signerByName(name: string): Signer {
  if (name === 'sha256') return sha256Signer;
  if (name === 'md5') return md5Signer;
  throw new Error(`unknown signature algorithm '${name}' (known: sha256, md5)`);
}

/** Constant-time comparison of hex signatures (case-insensitive). */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

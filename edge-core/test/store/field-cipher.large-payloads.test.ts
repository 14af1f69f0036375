// Large encrypted payloads (the gallery snapshot is ~130 MB at 50,000 identities) are
// deciphered in chunks straight from a file: the result is byte-identical to decrypt(), and a
// flipped byte, a truncated file or the wrong associated data is still refused.
import { describe, expect, it, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecryptionError, FieldCipher } from '../../src/crypto/field-cipher.js';

const dir = mkdtempSync(join(tmpdir(), 'sg-cipher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cipher = new FieldCipher(randomBytes(32), randomBytes(32));

function fromFile(bytes: Buffer, prefix: Buffer, column: string, cut = 0): Buffer {
  const file = join(dir, `f-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, Buffer.concat([prefix, bytes.subarray(0, bytes.length - cut)]));
  const fd = openSync(file, 'r');
  try {
    return cipher.decryptFileRange(fd, prefix.length, prefix.length + bytes.length - cut, column);
  } finally {
    closeSync(fd);
  }
}

describe('field cipher: large payloads', () => {
  const plain = randomBytes(21 * 1024 * 1024 + 3); // several chunks, not a multiple of one
  const sealed = cipher.encrypt(plain, 'col');

  it('deciphers a payload of several chunks to the same bytes, in memory and from a file', () => {
    expect(cipher.decrypt(sealed, 'col').equals(plain)).toBe(true);
    expect(fromFile(sealed, Buffer.from('header line\n'), 'col').equals(plain)).toBe(true);
    const small = cipher.encrypt(Buffer.from('短'), 'col');
    expect(fromFile(small, Buffer.alloc(0), 'col').toString()).toBe('短');
  });

  it('refuses a flipped byte, a truncated file and the wrong associated data', () => {
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 5_000_000] = (flipped[flipped.length - 5_000_000] as number) ^ 0x01;
    expect(() => cipher.decrypt(flipped, 'col')).toThrow(DecryptionError);
    expect(() => fromFile(flipped, Buffer.alloc(0), 'col')).toThrow(DecryptionError);
    expect(() => fromFile(sealed, Buffer.alloc(0), 'col', 1)).toThrow(DecryptionError);
    expect(() => fromFile(sealed, Buffer.alloc(0), 'other')).toThrow(DecryptionError);
    expect(() => fromFile(sealed.subarray(0, 10), Buffer.alloc(0), 'col')).toThrow(DecryptionError);
  });
});

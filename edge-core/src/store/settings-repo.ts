// Plain settings (JSON values) and secrets (encrypted, e.g. the platform appsecret).
import type { Store } from './store.js';

export class SettingsRepo {
  constructor(private readonly store: Store) {}

  get<T>(key: string, fallback: T): T {
    const row = this.store.db.prepare('SELECT value_json FROM settings WHERE key = ?').get(key) as { value_json: string } | undefined;
    return row ? (JSON.parse(row.value_json) as T) : fallback;
  }

  set(key: string, value: unknown): void {
    this.store.db
      .prepare(
        `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(value), this.store.clock.now());
  }

  setSecret(key: string, value: string): void {
    this.store.db
      .prepare(
        `INSERT INTO secrets (key, value_enc, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value_enc = excluded.value_enc, updated_at = excluded.updated_at`,
      )
      .run(key, this.store.cipher.encryptText(value, `secrets.${key}`), this.store.clock.now());
  }

  getSecret(key: string): string | null {
    const row = this.store.db.prepare('SELECT value_enc FROM secrets WHERE key = ?').get(key) as { value_enc: Buffer } | undefined;
    return row ? this.store.cipher.decryptText(row.value_enc, `secrets.${key}`) : null;
  }

  hasSecret(key: string): boolean {
    return this.store.db.prepare('SELECT 1 FROM secrets WHERE key = ?').get(key) !== undefined;
  }
}

// Maintenance commands:
//   npm run backup -- [--data-dir DIR] [--out FILE]
//   npm run verify -- [DB-FILE | DATA-DIR] [--public-key HEX] [--key-dir DIR] [--all-signatures] [--json]
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { openStore, systemClock, deviceKeyPath } from '../../edge-core/src/index.js';
import { defaultDataDir } from './config.js';
import { runVerify } from './verify-command.js';

const USAGE = `usage:
  cli backup [--data-dir DIR] [--out FILE]
  cli verify [DB-FILE | DATA-DIR] [--public-key HEX] [--key-dir DIR] [--all-signatures] [--json]`;

async function backup(dataDir: string, out: string | undefined): Promise<void> {
  const { store } = openStore({ dataDir, clock: systemClock });
  try {
    const file = out ? await store.backupTo(out) : await store.autoBackup();
    console.log(`backup written: ${file}`);
    console.log(`the device key is NOT in the backup; keep a copy of ${deviceKeyPath(join(dataDir, 'keys'))} in a safe place, apart from the backup`);
  } finally {
    store.close();
  }
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      out: { type: 'string' },
      'public-key': { type: 'string' },
      'key-dir': { type: 'string' },
      'all-signatures': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const command = positionals[0];
  if (command === 'backup') {
    await backup(values['data-dir'] ?? defaultDataDir(), values.out);
    return 0;
  }
  if (command === 'verify') {
    return await runVerify({
      target: positionals[1] ?? values['data-dir'] ?? defaultDataDir(),
      publicKeyHex: values['public-key'],
      keyDir: values['key-dir'],
      allSignatures: values['all-signatures'] ?? false,
      json: values.json ?? false,
      out: (line) => console.log(line),
    });
  }
  console.error(USAGE);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`failed: ${(err as Error).message}`);
    process.exit(1);
  },
);

// Maintenance commands:
//   npm run backup -- [--data-dir DIR] [--out FILE]
//   npm run verify -- [DB-FILE | DATA-DIR] [--public-key HEX] [--key-dir DIR] [--receipt FILE]…
//                     [--anchor SEQ:HEADHASH]… [--anchor-url URL] [--all-signatures] [--json]
import { parseArgs } from 'node:util';
import { openStore, systemClock, deviceKeyPath } from '../../edge-core/src/index.js';
import { defaultDataDir } from './config.js';
import { runVerify } from './verify-command.js';

const USAGE = `usage:
  cli backup [--data-dir DIR] [--out FILE]
  cli verify [DB-FILE | DATA-DIR] [--public-key HEX] [--key-dir DIR] [--receipt FILE]… [--anchor SEQ:HEADHASH]… [--anchor-url URL] [--all-signatures] [--json]
  exit codes of verify: 0 intact, 3 broken (tampering found), 4 cannot check (no database, bad receipt)`;

async function backup(dataDir: string, keyDir: string | undefined, out: string | undefined): Promise<void> {
  const opened = openStore({ dataDir, keyDir, clock: systemClock });
  const { store } = opened;
  try {
    const file = out ? await store.backupTo(out) : await store.autoBackup();
    console.log(`backup written: ${file}`);
    console.log(`the device key is NOT in the backup; keep a copy of ${deviceKeyPath(opened.keyDir)} in a safe place, apart from the backup`);
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
      receipt: { type: 'string', multiple: true },
      anchor: { type: 'string', multiple: true },
      'anchor-url': { type: 'string' },
      'all-signatures': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const command = positionals[0];
  if (command === 'backup') {
    await backup(values['data-dir'] ?? defaultDataDir(), values['key-dir'], values.out);
    return 0;
  }
  if (command === 'verify') {
    return await runVerify({
      target: positionals[1] ?? values['data-dir'] ?? defaultDataDir(),
      publicKeyHex: values['public-key'],
      keyDir: values['key-dir'],
      receipts: values.receipt,
      anchors: values.anchor,
      anchorUrl: values['anchor-url'],
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

// Maintenance commands: `npm run backup -- [--data-dir DIR] [--out FILE]`.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { openStore, systemClock, deviceKeyPath } from '../../edge-core/src/index.js';
import { defaultDataDir } from './config.js';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, out: { type: 'string' } },
  });
  const command = positionals[0];
  const dataDir = values['data-dir'] ?? defaultDataDir();
  if (command !== 'backup') {
    console.error('usage: cli backup [--data-dir DIR] [--out FILE]');
    process.exit(2);
  }
  const { store } = openStore({ dataDir, clock: systemClock });
  try {
    const file = values.out ? await store.backupTo(values.out) : await store.autoBackup();
    console.log(`backup written: ${file}`);
    console.log(`the device key is NOT in the backup; keep a copy of ${deviceKeyPath(join(dataDir, 'keys'))} in a safe place, apart from the backup`);
  } finally {
    store.close();
  }
}

main().catch((err: unknown) => {
  console.error(`backup failed: ${(err as Error).message}`);
  process.exit(1);
});

// Standalone platform simulator for a site's IT person:
//   tsx sync/simulator/main.ts --port 8790 [--db sim.db] [--appid ID --appsecret SECRET]
//        [--project CODE] [--fault-rate 0.3] [--host 0.0.0.0] [--rate-limit 200 (0: off)]
//        [--max-page-size 50] [--key-file sim.db.key]
// ID numbers and photos in the database are sealed with the key in --key-file (created with
// mode 0600 when missing; default: the database path + ".key").
// Then point the appliance's platform endpoint at http://HOST:PORT/api and watch
// http://HOST:PORT/admin/status. Faults: POST /admin/faults (see sync/README.md).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FieldCipher } from '../../edge-core/src/index.js';
import { FAULT_KINDS, type FaultKind } from './faults.js';
import { DEFAULT_SIM_APP, startPlatformSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8790' },
    host: { type: 'string', default: '127.0.0.1' },
    db: { type: 'string', default: 'platform-sim.db' },
    appid: { type: 'string', default: DEFAULT_SIM_APP.appid },
    appsecret: { type: 'string', default: DEFAULT_SIM_APP.appsecret },
    project: { type: 'string', default: 'TEST-PROJECT-001' },
    'fault-rate': { type: 'string', default: '0' },
    'fault-kinds': { type: 'string', default: FAULT_KINDS.join(',') },
    'async-delay-ms': { type: 'string', default: '50' },
    'rate-limit': { type: 'string', default: '200' },
    'max-page-size': { type: 'string' },
    'key-file': { type: 'string' },
  },
});

/** The at-rest key: 64 random bytes (sealing key, lookup-hash key), hex, in a 0600 file. */
function sealerFrom(path: string): FieldCipher {
  if (!existsSync(path)) writeFileSync(path, randomBytes(64).toString('hex'), { mode: 0o600, flag: 'wx' });
  const raw = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  if (raw.length !== 64) throw new Error(`${path}: expected 128 hex characters (the simulator's at-rest key)`);
  return new FieldCipher(raw.subarray(0, 32), raw.subarray(32));
}

const sim = await startPlatformSimulator({
  port: Number(values.port),
  host: values.host,
  dbPath: values.db,
  ...(values.db === ':memory:' ? {} : { sealer: sealerFrom(values['key-file'] ?? `${values.db}.key`) }),
  ...(values['max-page-size'] ? { maxPageSize: Number(values['max-page-size']) } : {}),
  apps: [{ appid: values.appid, appsecret: values.appsecret }],
  projects: [values.project],
  asyncDelayMs: Number(values['async-delay-ms']),
  rateLimit: Number(values['rate-limit']) > 0 ? { perSecond: Number(values['rate-limit']), burst: 2 * Number(values['rate-limit']) } : null,
  log: (line) => console.log(new Date().toISOString(), line),
});
const rate = Number(values['fault-rate']);
if (rate > 0) sim.setRandomFaults({ rate, kinds: values['fault-kinds'].split(',') as FaultKind[] });
console.log(`platform simulator 平台模拟器 listening on ${sim.url}  (admin: http://${values.host}:${sim.port}/admin/status)`);
console.log(`appid=${values.appid} project=${values.project} db=${values.db}${rate > 0 ? ` fault-rate=${rate}` : ''}`);
const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

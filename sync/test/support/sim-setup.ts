// Shared setup: a simulator on a temp SQLite file, a seeded team and roster, and a client.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatformClient, type PlatformClient } from '../../src/platform/client.js';
import type { PlatformConfig } from '../../src/platform/config.js';
import { DEFAULT_SIM_APP, startPlatformSimulator, type PlatformSimulator, type SimulatorOptions } from '../../simulator/server.js';
import { FieldCipher } from '../../../edge-core/src/index.js';
import { fakeName, fakeResidentId } from './fake-ids.js';

export const PROJECT = 'TEST-PROJECT-001';

export interface SimFixture {
  dir: string;
  sim: PlatformSimulator;
  teamSysNo: string;
  client: PlatformClient;
  clientConfig: PlatformConfig;
  /** The simulator's at-rest key: start it again on the same file with this. */
  sealer: FieldCipher;
  close(): Promise<void>;
}

export async function startSimFixture(opts: Partial<SimulatorOptions> = {}, clientOpts: Partial<PlatformConfig> = {}, rosterSize = 5): Promise<SimFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'sitegate-sync-'));
  const sealer = new FieldCipher(randomBytes(32), randomBytes(32));
  const sim = await startPlatformSimulator({ dbPath: join(dir, 'platform.db'), asyncDelayMs: 0, sealer, ...opts });
  const teamSysNo = sim.seedTeam({ teamName: '测试班组', corpCode: '91999999MA00000000', corpName: '测试劳务公司' });
  for (let i = 0; i < rosterSize; i++) sim.seedWorker({ idCardNumber: fakeResidentId(i), workerName: fakeName(i), teamSysNo });
  const clientConfig: PlatformConfig = {
    endpoint: sim.url,
    appid: DEFAULT_SIM_APP.appid,
    appsecret: DEFAULT_SIM_APP.appsecret,
    projectCode: PROJECT,
    timeoutMs: 1500,
    ...clientOpts,
  };
  const client = createPlatformClient(clientConfig);
  return {
    dir,
    sim,
    teamSysNo,
    client,
    clientConfig,
    sealer,
    async close() {
      client.close();
      await sim.close();
    },
  };
}

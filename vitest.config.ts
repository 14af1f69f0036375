import { defineConfig } from 'vitest/config';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The device key lives outside the data directory (edge-core/src/crypto/key-location.ts). Tests
// that give no key directory of their own share this one for the run — never the appliance's
// /etc/sitegate/keys. Cores started as child processes inherit it; the global set-up removes it.
process.env.SITEGATE_KEY_DIR ??= join(tmpdir(), `sitegate-test-keys-${process.pid}`);

// One runner for every unit, integration and e2e test. Each area keeps its tests under
// its own `test/` folder; slow suites (crash, chaos, soak, e2e) are separate projects-by-glob
// so they can be run alone via npm scripts.
export default defineConfig({
  test: {
    include: ['{edge-core,drivers,sync,app,models,build}/**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Bounds against a hang, not measures of speed: at load average 6-20 on two cores a core
    // start with its face models alone can take a minute. Long tests scale their own work to
    // measured progress (the soak, the crash and chaos tests) and set their own outer bound.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Ends any process a test started that outlived its test (build/test-support/owned-process.ts),
    // and removes the run's shared test key directory.
    globalSetup: ['build/test-support/global-guard.ts', 'build/test/test-key-dir.setup.ts'],
    maxWorkers: 2,
    reporters: ['default'],
    env: { SITEGATE_KEY_DIR: process.env.SITEGATE_KEY_DIR },
  },
});

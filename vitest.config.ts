import { defineConfig } from 'vitest/config';

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
    // Ends any process a test started that outlived its test (build/test-support/owned-process.ts).
    globalSetup: ['build/test-support/global-guard.ts'],
    maxWorkers: 2,
    reporters: ['default'],
  },
});

// hardening.soak.rss_growth_mb: the soak's simulated day (app/test/soak/run-day.ts), reporting
// the largest VmRSS growth of a core process from its first hour sample after warm-up to its
// last (the day has one SIGKILL, so two core processes). Quick mode runs a shorter day.
import type { BenchSuite } from '../../build/bench/harness.js';
import { runSoakDay } from '../test/soak/run-day.js';

const suite: BenchSuite = {
  prefix: 'hardening.soak',
  async run(ctx) {
    const seed = Number(process.env.SOAK_SEED ?? 4242);
    const passages = ctx.quick ? 300 : 5000;
    const r = await runSoakDay({ seed, passages, realEvery: 50, log: (l) => ctx.log(l) });
    const growth = Math.max(...r.rssGrowthMb);
    return [
      {
        name: 'hardening.soak.rss_growth_mb',
        unit: 'MB',
        value: Number(growth.toFixed(1)),
        n: r.rss.length,
        target: '<= 50',
        note: `seed ${seed}, ${passages} passages, per process ${r.rssGrowthMb.map((g) => g.toFixed(1)).join('/')} MB, wall ${Math.round(r.wallMs / 1000)} s`,
      },
      {
        name: 'hardening.soak.wall_s',
        unit: 's',
        value: Math.round(r.wallMs / 1000),
        n: passages,
        p50: r.profile.passage.p50 / 1000,
        p95: r.profile.passage.p95 / 1000,
        target: passages >= 5000 ? '<= 600' : undefined,
        note: `whole simulated day incl. start and drain; p50/p95: one passage (6 frames, record, turnstile) in s; ${r.profile.concurrentStarts} passages started while another lane was busy`,
      },
    ];
  },
};
export default suite;

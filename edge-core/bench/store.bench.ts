// store.* benchmarks: durable single-event commits, and the supervisor's "today" query over
// a database of 1,000,000 events (spread over 200 days, 2,000 workers in 20 teams).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openStore, AttendanceRepo, DashboardQueries, WorkersRepo, localDate, uuidv7, DB_FILE } from '../src/index.js';
import { distribution, elapsedMs, type BenchSuite } from '../../build/bench/harness.js';

const DAY = 86_400_000;

const suite: BenchSuite = {
  prefix: 'store.',
  async run(ctx) {
    const results = [];

    // --- durable single-event commits, 20 KB photo, encrypted ---------------------------------
    {
      const { store } = openStore({ dataDir: join(ctx.tmpDir, 'insert'), clock: { now: () => Date.now() } });
      const repo = new AttendanceRepo(store);
      const photo = Buffer.alloc(20_000);
      for (let i = 0; i < photo.length; i++) photo[i] = (i * 31) & 0xff;
      const n = ctx.quick ? 300 : 3000;
      for (let i = 0; i < 50; i++) repo.record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse', photoJpeg: photo });
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) repo.record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse', photoJpeg: photo });
      const ms = elapsedMs(t0);
      results.push({ name: 'store.insert_attendance_full.per_s', unit: 'events/s', value: (n / ms) * 1000, n, target: '>= 1000', note: 'synchronous=FULL, WAL, AES-256-GCM photo' });
      store.close();
    }

    // --- dashboard "today" query over 1M events --------------------------------------------------
    {
      const dataDir = join(ctx.tmpDir, 'dash');
      const now = Date.UTC(2026, 10, 24, 6, 0);
      const { store } = openStore({ dataDir, clock: { now: () => now } });
      const workers = new WorkersRepo(store);
      const employer = workers.createEmployer({ name: 'bench', creditCode: '91999999MA0BENCH01', corpType: 'labour' }, 'bench');
      const teams = Array.from({ length: 20 }, (_, i) => workers.createTeam({ employerId: employer.id, name: `team-${i}` }, 'bench'));
      const nWorkers = 2000;
      store.close();

      const total = ctx.quick ? 100_000 : 1_000_000;
      const raw = new Database(join(dataDir, DB_FILE));
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = OFF'); // bulk load for the benchmark only
      const insWorker = raw.prepare(
        `INSERT INTO workers (name, id_type, id_number_enc, id_number_hash, id_number_masked, trade_code, role, team_id, employer_id, created_at, updated_at)
         VALUES (?, '01', x'00', ?, 'masked', '020', 'worker', ?, ?, 0, 0)`,
      );
      const insEvent = raw.prepare(
        `INSERT INTO attendance_events (id, lane_id, worker_id, direction, occurred_at, time_zone, local_date, decision, created_at)
         VALUES (?, ?, ?, ?, ?, 'Asia/Shanghai', ?, ?, ?)`,
      );
      const t0 = process.hrtime.bigint();
      raw.transaction(() => {
        for (let w = 1; w <= nWorkers; w++) insWorker.run(`w${w}`, `hash-${w}`, (teams[w % teams.length] as { id: number }).id, employer.id);
      })();
      const perDay = Math.ceil(total / 200);
      let made = 0;
      const batch = raw.transaction((day: number) => {
        for (let i = 0; i < perDay && made < total; i++, made++) {
          const at = now - day * DAY - ((i * 7919) % (10 * 3600_000));
          const worker = 1 + ((i * 13) % nWorkers);
          insEvent.run(uuidv7(at), `lane-${i % 3}`, worker, i % 2 ? 'out' : 'in', at, localDate(at, 'Asia/Shanghai'), i % 50 === 0 ? 'refuse' : 'pass', at);
        }
      });
      for (let day = 0; made < total; day++) batch(day);
      raw.exec('ANALYZE');
      raw.close();
      ctx.log(`built ${total} events in ${(elapsedMs(t0) / 1000).toFixed(1)} s`);

      const reopened = openStore({ dataDir, clock: { now: () => now }, integrityCheck: false }).store;
      const q = new DashboardQueries(reopened);
      const today = localDate(now, 'Asia/Shanghai');
      for (let i = 0; i < 5; i++) q.today(today);
      const samples: number[] = [];
      for (let i = 0; i < (ctx.quick ? 30 : 200); i++) {
        const s = process.hrtime.bigint();
        const r = q.today(today);
        samples.push(elapsedMs(s));
        if (r.passes === 0) throw new Error('benchmark data missing for today');
      }
      results.push({ ...distribution(total >= 1_000_000 ? 'store.dashboard_query_1m.p95_ms' : 'store.dashboard_query_1m.p95_ms', 'ms', samples, 'p95', '<= 50'), note: `${total} events, ${perDay} today` });
      reopened.close();
    }
    return results;
  },
};

export default suite;

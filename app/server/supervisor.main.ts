// `npm start`: a small supervisor around the appliance. It runs the core (start.ts/js) as a
// child with SITEGATE_SUPERVISED=1 and starts it again when it exits with RESTART_EXIT_CODE
// (a remote or admin restart) at once, after a crash with back-off (the shell's CoreSupervisor),
// and ends when the core ends normally or on SIGINT/SIGTERM (forwarded to the core). Restarts
// do not open the UI again.
import { spawn } from 'node:child_process';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreSupervisor, type CoreChild } from '../main/core-supervisor.js';
import { RESTART_EXIT_CODE, SUPERVISED_ENV } from './remote-commands.js';

const here = fileURLToPath(import.meta.url);
// start.ts under tsx (npm run dev, tests), start.js when compiled (npm start).
const entry = join(dirname(here), `start${extname(here)}`);
const args = process.argv.slice(2);
let launches = 0;

function spawnCore(): CoreChild {
  launches += 1;
  const childArgs = launches > 1 && !args.includes('--no-open') ? [...args, '--no-open'] : args;
  const child = spawn(process.execPath, [...process.execArgv, entry, ...childArgs], {
    stdio: 'inherit',
    env: { ...process.env, [SUPERVISED_ENV]: '1' },
  });
  return {
    get pid() {
      return child.pid;
    },
    onExit: (cb) => child.on('exit', (code, signal) => cb(code ?? (signal ? 128 : null))),
    kill: () => void child.kill('SIGTERM'),
  };
}

const supervisor = new CoreSupervisor(
  spawnCore,
  (s) => {
    if (s.kind === 'restarting') console.log('[sitegate-supervisor] restart requested: starting SiteGate again');
    else if (s.kind === 'waiting') console.log(`[sitegate-supervisor] SiteGate stopped (exit ${s.exitCode}); starting again in ${Math.round(s.delayMs / 1000)} s${s.crashLoop ? ' — it keeps failing, see the log' : ''}`);
    else if (s.kind === 'ended' || s.kind === 'stopped') process.exit(0);
  },
  { restartCodes: [RESTART_EXIT_CODE], stopCodes: [0] },
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void supervisor.stop());
supervisor.start();

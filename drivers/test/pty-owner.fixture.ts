// A process that owns one socat pty pair and then waits to be killed (for pty-pair.parent-death.test.ts):
//   node --import tsx pty-owner.fixture.ts DIR pdeathsig|watchdog
import { join } from 'node:path';
import { startPtyPair } from '../src/index.js';

const [dir, mode] = process.argv.slice(2);
if (!dir || (mode !== 'pdeathsig' && mode !== 'watchdog')) throw new Error('usage: pty-owner.fixture.ts DIR pdeathsig|watchdog');
const pair = await startPtyPair(join(dir, 'dev'), join(dir, 'sim'), 15_000, mode === 'pdeathsig');
console.log(JSON.stringify({ ready: true, pid: pair.pid }));
setInterval(() => undefined, 60_000);

// The import-direction rule of ARCHITECTURE.md, checked with the project's real ESLint config
// on small snippets placed (virtually) in each area.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint: dependency direction', () => {
  it('edge-core may not import the app, drivers, sync, Electron, HTTP or devices', async () => {
    const f = 'edge-core/src/store/x.ts';
    expect(await restricted(f, "import { a } from '../../../drivers/src/index.js'; export { a };")).toHaveLength(1);
    expect(await restricted(f, "import { a } from '../../../sync/src/index.js'; export { a };")).toHaveLength(1);
    expect(await restricted(f, "import { a } from '../../../app/server/core.js'; export { a };")).toHaveLength(1);
    expect(await restricted(f, "import { app } from 'electron'; export { app };")).toHaveLength(1);
    expect(await restricted(f, "import Fastify from 'fastify'; export { Fastify };")).toHaveLength(1);
    expect(await restricted(f, "import { SerialPort } from 'serialport'; export { SerialPort };")).toHaveLength(1);
    expect(await restricted(f, "import http from 'node:http'; export { http };")).toHaveLength(1);
    expect(await restricted(f, "import { x } from '../util/uuidv7.js'; export { x };")).toHaveLength(0);
  });

  it('drivers and sync may import edge-core only through its entry point and ports', async () => {
    for (const f of ['drivers/src/x.ts', 'sync/src/x.ts']) {
      expect(await restricted(f, "import { a } from '../../edge-core/src/index.js'; export { a };")).toHaveLength(0);
      expect(await restricted(f, "import type { a } from '../../edge-core/src/ports/clock.js'; export type { a };")).toHaveLength(0);
      expect(await restricted(f, "import { a } from '../../edge-core/src/store/store.js'; export { a };")).toHaveLength(1);
      expect(await restricted(f, "import { a } from '../../app/server/core.js'; export { a };")).toHaveLength(1);
    }
    expect(await restricted('drivers/src/x.ts', "import { a } from '../../sync/src/index.js'; export { a };")).toHaveLength(1);
    expect(await restricted('sync/src/x.ts', "import { a } from '../../drivers/src/index.js'; export { a };")).toHaveLength(1);
  });
});

// No import circles in the product's code (issue 17.5): edge-core, drivers, sync, app/server,
// app/shared, app/main and app/ui. The detector is checked on a planted circle first.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findImportCycles, importSpecifiers } from '../lint/import-cycles.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('import cycles', () => {
  it('finds a planted circle, type-only and re-export edges included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src/a.ts'), "import { b } from './b.js';\nexport const a = b;\n");
      writeFileSync(join(dir, 'src/b.ts'), "export * from './c.js';\nexport const b = 1;\n");
      writeFileSync(join(dir, 'src/c.ts'), "import type { a } from './a.js';\nexport type C = typeof a;\n");
      writeFileSync(join(dir, 'src/d.ts'), "import { a } from './a.js';\nexport const d = a;\n");
      expect(findImportCycles(dir, ['src'])).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(importSpecifiers("import x from 'y';\nconst m = await import('./m.js');")).toEqual(['./m.js']);
  });

  it('none in the product', () => {
    const dirs = ['edge-core/src', 'drivers/src', 'sync/src', 'app/server', 'app/shared', 'app/main', 'app/ui/src'];
    expect(findImportCycles(REPO_ROOT, dirs)).toEqual([]);
  });
});

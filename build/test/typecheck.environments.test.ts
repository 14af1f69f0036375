// One tsconfig per environment (docs/decisions/0014-layers-enforced.md): a snippet planted in
// each area is type-checked with that area's real compiler options, and the other
// environment's globals must not type-check there — `document` in edge-core or the server,
// `Buffer`, `process` or `node:fs` in the UI or app/shared. Each refusal has a control that
// passes, so a broken set-up (nothing compiles) cannot look like a refusal.
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));

function optionsOf(tsconfig: string): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, tsconfig), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  return { ...parsed.options, noEmit: true };
}

/** Parsed library and declaration files, shared by the programs below (they take a while to parse). */
const parsedFiles = new Map<string, ts.SourceFile | undefined>();

/**
 * Type-checks planted files (path → code) as one program of `tsconfig`'s compiler options and
 * returns each file's diagnostics.
 */
function typeErrors(tsconfig: string, planted: Record<string, string>): Record<string, string> {
  const options = optionsOf(tsconfig);
  const files = new Map(Object.entries(planted).map(([file, code]) => [join(root, file), code]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => {
    const code = files.get(name);
    if (code !== undefined) return ts.createSourceFile(name, code, language);
    const key = `${String(options.target)}:${name}`;
    if (!parsedFiles.has(key)) parsedFiles.set(key, getSourceFile(name, language, ...rest));
    return parsedFiles.get(key);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  return Object.fromEntries(
    Object.keys(planted).map((file) => [
      file,
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(join(root, file)))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
        .join('\n'),
    ]),
  );
}

const DOM = 'export const title: string = document.title + String(window.innerWidth);';
const NODE_GLOBALS = "export const size: number = Buffer.from('x').length + Object.keys(process.env).length;";
const NODE_MODULE = "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;";

/** The same snippet planted in several places: `dir/planted-<name>.ts`. */
function plant(dirs: string[], snippets: Record<string, string>): Record<string, string> {
  return Object.fromEntries(dirs.flatMap((dir) => Object.entries(snippets).map(([name, code]) => [`${dir}/planted-${name}.ts${dir.includes('/ui/') ? 'x' : ''}`, code])));
}

describe('typecheck: one tsconfig per environment', () => {
  it('Node code (edge-core, drivers, sync, the server, the shell, tests) has no DOM', { timeout: 300_000 }, () => {
    const dirs = ['edge-core/src', 'drivers/src', 'sync/src', 'app/server', 'app/main', 'edge-core/test', 'app/test'];
    const errors = typeErrors('tsconfig.json', plant(dirs, { dom: DOM, node: `${NODE_GLOBALS}\n${NODE_MODULE}` }));
    for (const dir of dirs) {
      expect(errors[`${dir}/planted-dom.ts`], dir).toMatch(/Cannot find name 'document'/);
      expect(errors[`${dir}/planted-dom.ts`], dir).toMatch(/Cannot find name 'window'/);
      expect(errors[`${dir}/planted-node.ts`], dir).toBe('');
    }
  });

  it('the kiosk UI and app/shared have no Node', { timeout: 300_000 }, () => {
    const dirs = ['app/ui/src', 'app/ui/src/screens', 'app/shared'];
    const errors = typeErrors('app/ui/tsconfig.json', plant(dirs, { globals: NODE_GLOBALS, module: NODE_MODULE, dom: DOM }));
    for (const dir of dirs) {
      const at = (name: string) => errors[`${dir}/planted-${name}.ts${dir.includes('/ui/') ? 'x' : ''}`];
      expect(at('globals'), dir).toMatch(/Cannot find name 'Buffer'/);
      expect(at('globals'), dir).toMatch(/Cannot find name 'process'/);
      expect(at('module'), dir).toMatch(/Cannot find module 'node:fs'/);
      expect(at('dom'), dir).toBe('');
    }
  });

  it('code that drives Chromium has both (its page.evaluate callbacks run in the page)', () => {
    const errors = typeErrors('tsconfig.playwright.json', { 'app/test/e2e/planted.ts': `${DOM}\n${NODE_GLOBALS}\n${NODE_MODULE}` });
    expect(errors['app/test/e2e/planted.ts']).toBe('');
  });
});

// Configuration of the Electron shell (not of the core): which screens go on which display,
// kiosk or not, start on boot, where updates come from, and how the core is run. Read from
// <userData>/shell.json (or SITEGATE_SHELL_CONFIG), then command-line flags win. Pure.
import { z } from 'zod';

const screen = z.strictObject({
  laneId: z.string().min(1).max(32).nullable(),
  display: z.union([z.number().int().min(0), z.string().regex(/^id:\d+$/)]).optional(),
});

export const shellConfigSchema = z.strictObject({
  core: z
    .strictObject({
      /** Use a core that is already running (no child process), e.g. http://127.0.0.1:8686. */
      url: z.url().optional(),
      port: z.number().int().min(1).max(65535).default(8686),
      dataDir: z.string().min(1).optional(),
      configFile: z.string().min(1).optional(),
    })
    .default({ port: 8686 }),
  kiosk: z.boolean().default(true),
  screens: z
    .array(screen)
    .max(8)
    .default([{ laneId: null }]),
  autoStart: z.boolean().default(true),
  updates: z
    .strictObject({
      /** Generic-provider URL (a site server or the platform), e.g. https://updates.example/sitegate/ */
      url: z.url().optional(),
      checkEveryHours: z.number().min(1).max(168).default(6),
      channel: z
        .string()
        .regex(/^[a-z]+$/)
        .default('latest'),
    })
    .default({ checkEveryHours: 6, channel: 'latest' }),
  /** Global shortcut that opens the admin settings (leaving kiosk needs the admin PIN there). */
  adminShortcut: z.string().default('CommandOrControl+Alt+Shift+A'),
});

export type ShellConfig = z.infer<typeof shellConfigSchema>;

export class ShellConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.join('; ')}`);
    this.name = 'ShellConfigError';
  }
}

export function parseShellConfig(raw: unknown, source = 'shell.json'): ShellConfig {
  const r = shellConfigSchema.safeParse(raw ?? {});
  if (!r.success)
    throw new ShellConfigError(
      source,
      r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  return r.data;
}

/** Command-line flags: --core-url=URL, --no-kiosk, --lane=ID (repeatable), --port=N. */
export function applyArgs(cfg: ShellConfig, argv: readonly string[]): ShellConfig {
  const out: ShellConfig = { ...cfg, core: { ...cfg.core }, screens: [...cfg.screens] };
  const lanes: string[] = [];
  for (const a of argv) {
    const [k, v] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, ''];
    if (k === '--core-url' && v) out.core.url = v;
    else if (k === '--no-kiosk') out.kiosk = false;
    else if (k === '--lane' && v) lanes.push(v);
    else if (k === '--port' && /^\d+$/.test(v)) out.core.port = Number(v);
  }
  if (lanes.length) out.screens = lanes.map((laneId) => ({ laneId }));
  return parseShellConfig(out, 'command line');
}

// Opens the UI: in Electron when its binary is installed, else Chromium in kiosk/app mode
// when a display is present, else just prints the URL.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type UiHost = { kind: 'electron'; path: string } | { kind: 'chromium'; path: string } | { kind: 'none'; reason: string };

export function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    // The electron package exports the binary's path; the binary itself may be missing.
    const p = require('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

export function chooseUiHost(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): UiHost {
  const electron = electronBinary();
  if (electron) return { kind: 'electron', path: electron };
  const hasDisplay = platform === 'win32' || platform === 'darwin' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
  if (!hasDisplay) return { kind: 'none', reason: 'no display' };
  for (const c of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(c)) return { kind: 'chromium', path: c };
  }
  return { kind: 'none', reason: 'neither Electron nor Chromium is installed' };
}

export function openUi(host: UiHost, url: string, repoRoot: string, kiosk: boolean): void {
  if (host.kind === 'electron') {
    spawn(host.path, [join(repoRoot, 'dist', 'app', 'main', 'main.js'), `--core-url=${url}`], { stdio: 'ignore', detached: true }).unref();
  } else if (host.kind === 'chromium') {
    const args = [`--app=${url}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--use-fake-ui-for-media-stream'];
    if (kiosk) args.push('--kiosk');
    spawn(host.path, args, { stdio: 'ignore', detached: true }).unref();
  }
}

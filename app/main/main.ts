// Electron main process of SiteGate: a thin shell around the core service and the web UI.
//  - single instance; one full-screen kiosk window per configured lane display
//  - the core runs in a utilityProcess, restarted on crash with back-off (core-supervisor.ts)
//  - windows are context-isolated and sandboxed, load only the core's origin, get a strict
//    CSP and the camera permission only; no new windows, no other navigation
//  - leaving kiosk mode needs the admin PIN, checked by the core (admin-exit.ts)
//  - start on boot; updates through electron-updater's generic provider
//  - on Windows and macOS the core's device key is sealed with safeStorage (DPAPI, Keychain):
//    the core asks over its parent port and this process answers (key-protector-host.ts)
// The logic lives in the Electron-free modules next to this file and is unit-tested there;
// this file only wires them to Electron (its binary cannot run on our build machines).
import {
  app,
  BrowserWindow,
  globalShortcut,
  ipcMain,
  safeStorage,
  screen,
  session,
  utilityProcess,
  type WebContents,
} from 'electron';
import electronUpdater from 'electron-updater';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreSupervisor, type CoreChild, type SupervisorState } from './core-supervisor.js';
import { waitForHealth } from './core-ready.js';
import { verifyAdminPin } from './admin-exit.js';
import { applyArgs, parseShellConfig, ShellConfigError, type ShellConfig } from './shell-config.js';
import { contentSecurityPolicy, isAllowedNavigation, isAllowedPermission } from './url-guard.js';
import { planWindows, type DisplayInfo, type WindowPlanEntry } from './window-plan.js';
import { linuxAutostartEntry } from './autostart.js';
import { RESTART_EXIT_CODE, SUPERVISED_ENV } from '../server/remote-commands.js';
import { answerKeyRequest } from './key-protector-host.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/app/main → the app root (repo checkout or app.asar). */
const appRoot = join(here, '..', '..', '..');
const windows = new Map<string, BrowserWindow>();
let config: ShellConfig;
let coreUrl: string;
let supervisor: CoreSupervisor | null = null;
let quitting = false;

function log(msg: string, extra?: unknown): void {
  console.log(`[sitegate-shell] ${msg}`, extra ?? '');
}

function loadConfig(): ShellConfig {
  const file = process.env.SITEGATE_SHELL_CONFIG ?? join(app.getPath('userData'), 'shell.json');
  const raw: unknown = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  return applyArgs(parseShellConfig(raw, file), process.argv.slice(1));
}

/** The core as an Electron utility process, adapted to the supervisor's CoreChild. */
function forkCore(): CoreChild {
  const entry = join(appRoot, 'dist', 'app', 'server', 'core.main.js');
  const args = [`--port=${config.core.port}`];
  args.push(`--data-dir=${config.core.dataDir ?? join(app.getPath('userData'), 'data')}`);
  if (config.core.configFile) args.push(`--config=${config.core.configFile}`);
  // Linux keeps the root-only key file (safeStorage there may be a plain-text fallback).
  const sealKey = process.platform === 'win32' || process.platform === 'darwin';
  if (sealKey) args.push('--key-protector=shell');
  const child = utilityProcess.fork(entry, args, {
    serviceName: 'sitegate-core',
    stdio: 'inherit',
    cwd: appRoot,
    // The core restarts itself (remote or admin restart) by exiting with RESTART_EXIT_CODE.
    env: { ...process.env, [SUPERVISED_ENV]: '1' },
  });
  // Remote update commands arrive from the core: checked with electron-updater here.
  child.on('message', (m: unknown) => void onCoreMessage(m, (reply) => child.postMessage(reply)));
  if (sealKey) {
    child.on('message', (message: unknown) => {
      void answerKeyRequest(message, safeStorage).then((reply) => {
        if (reply) child.postMessage(reply);
      });
    });
  }
  return {
    get pid() {
      return child.pid;
    },
    onExit: (cb) => child.on('exit', (code) => cb(code)),
    kill: () => void child.kill(),
  };
}

function onCoreState(s: SupervisorState): void {
  log(`core: ${s.kind}`, s);
  if (s.kind === 'running') {
    void waitForHealth(coreUrl, { timeoutMs: 60_000 }).then((r) => {
      if (r.ok)
        for (const w of windows.values())
          if (w.webContents.getURL() === '' || w.webContents.getURL().startsWith('data:'))
            void w.loadURL(planUrl(w));
    });
  }
}

function planUrl(w: BrowserWindow): string {
  for (const [key, win] of windows) if (win === w) return plan().find((p) => p.key === key)?.url ?? coreUrl;
  return coreUrl;
}

function displays(): DisplayInfo[] {
  const primary = screen.getPrimaryDisplay().id;
  return screen.getAllDisplays().map((d) => ({ id: d.id, bounds: d.bounds, primary: d.id === primary }));
}

function plan(): WindowPlanEntry[] {
  const p = planWindows(displays(), config.screens, coreUrl, config.kiosk);
  for (const w of p.warnings) log(`window plan: ${w}`);
  return p.windows;
}

/** Every webContents: no navigation off the core, no new windows, no webviews. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url, coreUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, coreUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function openWindows(): void {
  for (const entry of plan()) {
    if (windows.has(entry.key)) continue;
    const w = new BrowserWindow({
      ...entry.bounds,
      kiosk: entry.kiosk,
      fullscreen: entry.kiosk,
      autoHideMenuBar: true,
      backgroundColor: '#0d1b2a',
      show: false,
      title: entry.laneId ? `SiteGate ${entry.laneId}` : 'SiteGate',
      webPreferences: {
        preload: join(here, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
        devTools: !entry.kiosk,
      },
    });
    lockDown(w.webContents);
    w.once('ready-to-show', () => w.show());
    // A crashed or killed renderer comes back by itself.
    w.webContents.on('render-process-gone', () => {
      if (!quitting) setTimeout(() => void w.loadURL(entry.url), 1000);
    });
    w.on('closed', () => windows.delete(entry.key));
    windows.set(entry.key, w);
    // Until the core answers, a local page says so (the UI itself shows later outages).
    void w.loadURL(
      `data:text/html;charset=utf-8,${encodeURIComponent('<body style="background:#0d1b2a;color:#fff;font:32px sans-serif;display:flex;align-items:center;justify-content:center;height:100vh;margin:0">SiteGate 正在启动… Starting…</body>')}`,
    );
    void waitForHealth(coreUrl, { timeoutMs: 120_000 }).then((r) => {
      if (r.ok) void w.loadURL(entry.url);
    });
  }
}

function secureSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const media = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isAllowedPermission(permission, details.requestingUrl, coreUrl, media));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    isAllowedPermission(permission, requestingOrigin, coreUrl),
  );
  const csp = contentSecurityPolicy(coreUrl);
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    if (isAllowedNavigation(details.url, coreUrl)) headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
}

function setUpIpc(): void {
  const fromCore = (e: Electron.IpcMainInvokeEvent) => isAllowedNavigation(e.senderFrame?.url ?? '', coreUrl);
  ipcMain.handle('shell:version', (e) => (fromCore(e) ? app.getVersion() : ''));
  ipcMain.handle('shell:exit-kiosk', async (e, pin: unknown, account: unknown) => {
    if (!fromCore(e)) return { ok: false, code: 'auth.forbidden' };
    const r = await verifyAdminPin(coreUrl, String(pin), fetch, typeof account === 'number' ? account : undefined);
    if (r.ok) {
      const w = BrowserWindow.fromWebContents(e.sender);
      w?.setKiosk(false);
      w?.setFullScreen(false);
    }
    return r;
  });
}

function setUpAutostart(): void {
  if (!app.isPackaged) return;
  if (process.platform === 'linux') {
    const dir = join(homedir(), '.config', 'autostart');
    const file = join(dir, 'sitegate.desktop');
    if (config.autoStart) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, linuxAutostartEntry(process.env.APPIMAGE ?? process.execPath));
    }
  } else {
    app.setLoginItemSettings({ openAtLogin: config.autoStart });
  }
}

/** A remote `update` command handed over by the core: check the given feed now; the result goes back to be audited. */
async function onCoreMessage(m: unknown, reply: (r: unknown) => void): Promise<void> {
  const msg = m as { type?: unknown; commandId?: unknown; url?: unknown; channel?: unknown } | null;
  if (msg?.type !== 'update-check' || typeof msg.commandId !== 'string' || typeof msg.url !== 'string') return;
  const commandId = msg.commandId;
  if (!app.isPackaged) {
    reply({ type: 'update-result', commandId, ok: false, message: 'not a packaged build: nothing to update' });
    return;
  }
  const { autoUpdater } = electronUpdater;
  try {
    autoUpdater.setFeedURL({ provider: 'generic', url: msg.url, channel: typeof msg.channel === 'string' ? msg.channel : config.updates.channel });
    autoUpdater.autoDownload = true;
    autoUpdater.autoInstallOnAppQuit = true;
    const r = await autoUpdater.checkForUpdates();
    const version = r?.updateInfo.version;
    const newer = Boolean(r?.isUpdateAvailable);
    reply({ type: 'update-result', commandId, ok: true, version, message: newer ? `update ${version} downloading; installs at the next restart` : `up to date (${app.getVersion()})` });
  } catch (err) {
    reply({ type: 'update-result', commandId, ok: false, message: `update check failed: ${String(err)}` });
  }
}

function setUpUpdates(): void {
  const url = config.updates.url;
  if (!url || !app.isPackaged) return;
  const { autoUpdater } = electronUpdater;
  autoUpdater.setFeedURL({ provider: 'generic', url, channel: config.updates.channel });
  autoUpdater.autoDownload = true;
  // Installed at the next restart (a gate is never restarted under a worker's nose).
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('error', (err) => log('update check failed', String(err)));
  autoUpdater.on('update-downloaded', (info) =>
    log(`update ${info.version} downloaded; installs at next restart`),
  );
  const check = () =>
    void autoUpdater.checkForUpdates().catch((err: unknown) => log('update check failed', String(err)));
  check();
  setInterval(check, config.updates.checkEveryHours * 3600_000).unref();
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    const first = windows.values().next().value;
    if (first) {
      if (first.isMinimized()) first.restore();
      first.focus();
    }
  });
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ShellConfigError) log(`configuration error: ${err.message}`);
    throw err;
  }
  coreUrl = config.core.url ?? `http://127.0.0.1:${config.core.port}`;
  app.on('web-contents-created', (_e, contents) => lockDown(contents));
  await app.whenReady();
  secureSession();
  setUpIpc();
  setUpAutostart();
  if (!config.core.url) {
    supervisor = new CoreSupervisor(forkCore, onCoreState, { restartCodes: [RESTART_EXIT_CODE] });
    supervisor.start();
  }
  openWindows();
  screen.on('display-added', () => openWindows());
  globalShortcut.register(config.adminShortcut, () => {
    const w = BrowserWindow.getFocusedWindow() ?? windows.values().next().value;
    void w?.loadURL(`${coreUrl}/#/settings`);
  });
  setUpUpdates();
  app.on('window-all-closed', () => {
    if (config.kiosk && !quitting) openWindows();
    else app.quit();
  });
  app.on('before-quit', (e) => {
    if (quitting || !supervisor) return;
    e.preventDefault();
    quitting = true;
    void supervisor.stop().finally(() => app.quit());
  });
}

void main().catch((err: unknown) => {
  log('cannot start', err);
  app.exit(1);
});

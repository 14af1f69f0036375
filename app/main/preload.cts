// Preload of the kiosk windows (sandboxed, context-isolated, CommonJS as sandboxed preloads
// must be). It exposes exactly two calls to the page as window.sitegateShell; nothing of
// Node or Electron leaks into the renderer.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS; this compiles to require('electron')
import electron = require('electron');

const { contextBridge, ipcRenderer } = electron;

contextBridge.exposeInMainWorld('sitegateShell', {
  exitKiosk: (pin: string, account?: number): Promise<{ ok: boolean; code?: string }> =>
    ipcRenderer.invoke('shell:exit-kiosk', String(pin), typeof account === 'number' ? account : undefined),
  version: (): Promise<string> => ipcRenderer.invoke('shell:version'),
});

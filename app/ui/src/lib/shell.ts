// The Electron shell's bridge (app/main/preload.ts exposes it as window.sitegateShell). In a
// plain browser it is absent and the screens that use it hide themselves.
export interface ShellBridge {
  /** Leaves kiosk mode when the admin PIN is right (the shell asks the core, POST /api/session). */
  exitKiosk(pin: string): Promise<{ ok: boolean; code?: string }>;
  version(): Promise<string>;
}

export function shellBridge(): ShellBridge | null {
  const w = window as unknown as { sitegateShell?: ShellBridge };
  return w.sitegateShell ?? null;
}

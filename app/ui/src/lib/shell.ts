// The Electron shell's bridge (app/main/preload.ts exposes it as window.sitegateShell). In a
// plain browser it is absent and the screens that use it hide themselves.
export interface ShellBridge {
  /** Leaves kiosk mode when the admin's PIN is right (the shell asks the core, POST /api/session); `account`: the signed-in admin. */
  exitKiosk(pin: string, account?: number): Promise<{ ok: boolean; code?: string }>;
  version(): Promise<string>;
}

export function shellBridge(): ShellBridge | null {
  const w = window as unknown as { sitegateShell?: ShellBridge };
  return w.sitegateShell ?? null;
}

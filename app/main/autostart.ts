// Start on boot. Windows (and macOS) use Electron's login-item setting; Linux desktops read
// an XDG autostart entry, written by the shell itself. This module builds that entry. Pure.
export function linuxAutostartEntry(execPath: string, args: readonly string[] = []): string {
  const quote = (s: string) => (/[\s"'\\$`]/.test(s) ? `"${s.replace(/(["\\$`])/g, '\\$1')}"` : s);
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=SiteGate',
    'Comment=SiteGate gate appliance (工地实名制闸机)',
    `Exec=${[execPath, ...args].map(quote).join(' ')}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

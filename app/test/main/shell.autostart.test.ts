// The Linux XDG autostart entry written for "start on boot".
import { describe, expect, it } from 'vitest';
import { linuxAutostartEntry } from '../../main/autostart.js';

describe('start on boot (Linux autostart entry)', () => {
  it('writes a desktop entry that starts the AppImage, quoting paths with spaces', () => {
    const e = linuxAutostartEntry('/opt/Site Gate/sitegate.AppImage', ['--lane=lane-1']);
    expect(e).toContain('[Desktop Entry]');
    expect(e).toContain('Type=Application');
    expect(e).toContain('Exec="/opt/Site Gate/sitegate.AppImage" --lane=lane-1');
    expect(e).toContain('X-GNOME-Autostart-enabled=true');
  });
});

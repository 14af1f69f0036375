// The shell's configuration file and command-line flags.
import { describe, expect, it } from 'vitest';
import { applyArgs, parseShellConfig, ShellConfigError } from '../../main/shell-config.js';

describe('shell configuration', () => {
  it('defaults to a kiosk desk screen, a core on port 8686, start on boot, no updates', () => {
    const c = parseShellConfig({});
    expect(c).toMatchObject({
      kiosk: true,
      autoStart: true,
      screens: [{ laneId: null }],
      core: { port: 8686 },
      updates: { checkEveryHours: 6, channel: 'latest' },
    });
    expect(c.updates.url).toBeUndefined();
  });

  it('names the file and the field of every mistake', () => {
    try {
      parseShellConfig(
        {
          kiosk: 'yes',
          screens: [{ laneId: 'lane-1', display: -1 }],
          updates: { url: 'not a url' },
          extra: 1,
        },
        '/etc/sitegate/shell.json',
      );
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ShellConfigError);
      const e = err as ShellConfigError;
      expect(e.message).toContain('/etc/sitegate/shell.json');
      expect(e.problems.join('\n')).toMatch(/kiosk/);
      expect(e.problems.join('\n')).toMatch(/screens\.0\.display/);
      expect(e.problems.join('\n')).toMatch(/updates\.url/);
    }
  });

  it('lets command-line flags override the file', () => {
    const c = applyArgs(parseShellConfig({ screens: [{ laneId: null }] }), [
      '--no-kiosk',
      '--lane=lane-1',
      '--lane=lane-2',
      '--core-url=http://127.0.0.1:9000',
      '--port=9001',
      '--unknown',
    ]);
    expect(c.kiosk).toBe(false);
    expect(c.screens).toEqual([{ laneId: 'lane-1' }, { laneId: 'lane-2' }]);
    expect(c.core).toMatchObject({ url: 'http://127.0.0.1:9000', port: 9001 });
  });
});

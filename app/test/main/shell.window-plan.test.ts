// One kiosk window per lane display, placed from the displays Electron reports.
import { describe, expect, it } from 'vitest';
import { orderDisplays, planWindows, screenUrl, type DisplayInfo } from '../../main/window-plan.js';

const CORE = 'http://127.0.0.1:8686';
const d = (id: number, x: number, primary = false): DisplayInfo => ({
  id,
  primary,
  bounds: { x, y: 0, width: 1920, height: 1080 },
});

describe('window plan', () => {
  it('puts lane screens on displays primary-first, left to right', () => {
    const displays = [d(30, 3840), d(10, 0, true), d(20, 1920)];
    expect(orderDisplays(displays).map((x) => x.id)).toEqual([10, 20, 30]);
    const p = planWindows(
      displays,
      [{ laneId: null }, { laneId: 'lane-1' }, { laneId: 'lane-2' }],
      CORE,
      true,
    );
    expect(p.warnings).toEqual([]);
    expect(p.windows.map((w) => [w.key, w.displayId, w.url])).toEqual([
      ['desk', 10, `${CORE}/#/`],
      ['lane-1', 20, `${CORE}/#/gate/lane-1`],
      ['lane-2', 30, `${CORE}/#/gate/lane-2`],
    ]);
    expect(p.windows.every((w) => w.kiosk)).toBe(true);
  });

  it('honours explicit display indexes and ids, and never doubles up a display', () => {
    const displays = [d(1, 0, true), d(2, 1920)];
    const p = planWindows(
      displays,
      [
        { laneId: 'lane-1', display: 1 },
        { laneId: 'lane-2', display: 'id:1' },
        { laneId: 'lane-3', display: 'id:2' },
      ],
      CORE,
      false,
    );
    expect(p.windows.map((w) => [w.key, w.displayId])).toEqual([
      ['lane-1', 2],
      ['lane-2', 1],
    ]);
    expect(p.warnings).toEqual(['screen "lane-3" wants display 2, already used; skipped']);
  });

  it('says which screens had no display when fewer displays are connected', () => {
    const p = planWindows([d(1, 0, true)], [{ laneId: 'lane-1' }, { laneId: 'lane-2' }], CORE, true);
    expect(p.windows.map((w) => w.key)).toEqual(['lane-1']);
    expect(p.warnings[0]).toContain('no display for screen "lane-2"');
  });

  it('shows the desk screen when nothing is configured or nothing could be placed', () => {
    expect(planWindows([d(5, 0, true)], [], CORE, true).windows.map((w) => [w.key, w.displayId])).toEqual([
      ['desk', 5],
    ]);
    const p = planWindows([d(5, 0, true)], [{ laneId: 'lane-9', display: 4 }], CORE, true);
    expect(p.windows.map((w) => w.key)).toEqual(['desk']);
    expect(planWindows([], [{ laneId: 'lane-1' }], CORE, true).windows).toEqual([]);
  });

  it('encodes lane ids into the gate URL', () => {
    expect(screenUrl(`${CORE}/`, 'east gate')).toBe(`${CORE}/#/gate/east%20gate`);
  });
});

// Which window goes on which display: one full-screen kiosk window per lane display, from the
// displays Electron reports and the shell configuration. Pure, no Electron.
export interface DisplayInfo {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
  primary: boolean;
}

export interface LaneScreen {
  /** Lane id, or null for the desk screen (home / enrollment / dashboard). */
  laneId: string | null;
  /** Display index in primary-first order, or a display id (prefixed "id:"). */
  display?: number | string;
}

export interface WindowPlanEntry {
  key: string;
  laneId: string | null;
  url: string;
  displayId: number;
  bounds: DisplayInfo['bounds'];
  kiosk: boolean;
}

export interface WindowPlan {
  windows: WindowPlanEntry[];
  /** Screens that could not be placed (fewer displays than configured), in plain words. */
  warnings: string[];
}

/** Primary display first, then left to right, top to bottom: a stable order across boots. */
export function orderDisplays(displays: readonly DisplayInfo[]): DisplayInfo[] {
  return [...displays].sort(
    (a, b) =>
      Number(b.primary) - Number(a.primary) ||
      a.bounds.x - b.bounds.x ||
      a.bounds.y - b.bounds.y ||
      a.id - b.id,
  );
}

export function screenUrl(coreUrl: string, laneId: string | null): string {
  const base = coreUrl.replace(/\/+$/, '');
  return laneId ? `${base}/#/gate/${encodeURIComponent(laneId)}` : `${base}/#/`;
}

export function planWindows(
  displays: readonly DisplayInfo[],
  screens: readonly LaneScreen[],
  coreUrl: string,
  kiosk: boolean,
): WindowPlan {
  const ordered = orderDisplays(displays);
  const warnings: string[] = [];
  const used = new Set<number>();
  const windows: WindowPlanEntry[] = [];
  const wanted: LaneScreen[] = screens.length ? [...screens] : [{ laneId: null }];

  const pick = (s: LaneScreen, i: number): DisplayInfo | undefined => {
    if (typeof s.display === 'string' && s.display.startsWith('id:'))
      return ordered.find((d) => String(d.id) === s.display?.toString().slice(3));
    if (typeof s.display === 'number') return ordered[s.display];
    return ordered[i] && !used.has(ordered[i].id) ? ordered[i] : ordered.find((d) => !used.has(d.id));
  };

  wanted.forEach((s, i) => {
    const d = pick(s, i);
    const name = s.laneId ?? 'desk';
    if (!d) {
      warnings.push(`no display for screen "${name}" (${ordered.length} display(s) connected)`);
      return;
    }
    if (used.has(d.id)) {
      warnings.push(`screen "${name}" wants display ${d.id}, already used; skipped`);
      return;
    }
    used.add(d.id);
    windows.push({
      key: name,
      laneId: s.laneId,
      url: screenUrl(coreUrl, s.laneId),
      displayId: d.id,
      bounds: d.bounds,
      kiosk,
    });
  });
  if (windows.length === 0 && ordered[0]) {
    // Never leave the appliance without a screen: the desk screen on the primary display.
    windows.push({
      key: 'desk',
      laneId: null,
      url: screenUrl(coreUrl, null),
      displayId: ordered[0].id,
      bounds: ordered[0].bounds,
      kiosk,
    });
  }
  return { windows, warnings };
}

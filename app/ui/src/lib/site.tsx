// What every screen may need to know about the appliance, loaded once and again after a
// reconnect (the core may have started again, e.g. after the first-run wizard): demo or not,
// the first run (no admin PIN yet), the site's time zone (times are shown in it, not in the
// browser's), the lanes, and in the demo its PINs, card deck and helmet rule.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { DemoInfoResponse } from '../../../shared/api-types.js';
import { coreApi, type Lane } from '../api/core.js';
import { siteApi } from '../api/site.js';
import { useLive } from './live.js';

export interface SiteInfo {
  loaded: boolean;
  demo: boolean;
  firstRun: boolean;
  timeZone: string;
  projectName: string;
  lanes: Lane[];
  demoInfo: DemoInfoResponse | null;
  helmet: DemoInfoResponse['helmet'] | null;
  reload(): void;
}

const DEFAULT_ZONE = 'Asia/Shanghai';

/** Set by the first-run wizard when it saved: the home screen then says how to go on. */
export const SETUP_DONE_KEY = 'sitegate.setup.done';
const Ctx = createContext<SiteInfo | null>(null);

export function SiteProvider({ children }: { children: ReactNode }) {
  const { epoch } = useLive();
  const [n, setN] = useState(0);
  const [info, setInfo] = useState<Omit<SiteInfo, 'reload'>>({
    loaded: false,
    demo: false,
    firstRun: false,
    timeZone: DEFAULT_ZONE,
    projectName: '',
    lanes: [],
    demoInfo: null,
    helmet: null,
  });
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = async () => {
      try {
        const status = await siteApi.setupStatus();
        const [lanes, demoInfo] = await Promise.all([
          coreApi.lanes().catch(() => [] as Lane[]),
          status.demo ? siteApi.demoInfo().catch(() => null) : Promise.resolve(null),
        ]);
        if (!alive) return;
        setInfo({
          loaded: true,
          demo: status.demo,
          firstRun: status.firstRun,
          timeZone: status.project?.timeZone || DEFAULT_ZONE,
          projectName: status.project?.name ?? '',
          lanes,
          demoInfo,
          helmet: demoInfo?.helmet ?? null,
        });
        // The demo's notes follow a changed helmet rule within half a minute.
        if (status.demo) timer = setTimeout(() => alive && setN((x) => x + 1), 30_000);
      } catch {
        // The core is not reachable yet: the connection banner says so; try again shortly.
        if (alive) timer = setTimeout(() => alive && setN((x) => x + 1), 2000);
      }
    };
    void load();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [epoch, n]);
  return <Ctx.Provider value={{ ...info, reload: () => setN((x) => x + 1) }}>{children}</Ctx.Provider>;
}

export function useSite(): SiteInfo {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSite outside SiteProvider');
  return v;
}

/** 'HH:mm:ss' (or with the date) of an instant in the site's time zone. */
export function siteTime(ms: number, timeZone: string, lang: 'zh' | 'en', withDate = false): string {
  const opts: Intl.DateTimeFormatOptions = { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  if (withDate) Object.assign(opts, { year: 'numeric', month: '2-digit', day: '2-digit' });
  try {
    return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', opts).format(new Date(ms));
  } catch {
    return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { ...opts, timeZone: DEFAULT_ZONE }).format(new Date(ms));
  }
}

// Gate screen of one lane (#/gate/lane-1): camera with the face guide, quality hints, the
// last decision (pass: name, team, direction; refusal: a short reason), an offline/backlog
// indicator and optional voice. Decisions arrive as `passage` live events for this lane.
import { LiveVideo } from '../components/LiveVideo.js';
import { useEffect, useRef, useState } from 'react';
import type { LiveEvent } from '../../../shared/api-types.js';
import { coreApi, type Lane } from '../api/core.js';
import { engineUnavailable, postLaneFrame } from '../api/gate.js';
import type { Bilingual } from '../../../shared/i18n/messages.js';
import { useCamera, grabJpeg, centreLuma, lightHint } from '../lib/camera.js';
import { useLive, useLiveEvents } from '../lib/live.js';
import { reasonText } from '../lib/reasons.js';
import { useI18n } from '../i18n/i18n.js';
import { CameraView } from '../components/CameraView.js';
import { ConnectionBanner } from '../components/ConnectionBanner.js';
import { speak, voiceAvailable } from '../lib/voice.js';
import { isRepeatScan, laneLabel, reasonNextStep } from '../lib/words.js';
import { siteTime, useSite } from '../lib/site.js';

type Passage = Extract<LiveEvent, { type: 'passage' }>;
const SHOW_MS = 5000;
const FRAME_MS = 250;

interface Hint {
  code: string;
  message: Bilingual;
}

export function GateScreen({ laneId }: { laneId: string }) {
  const { t, pick, lang, setLang } = useI18n();
  const { state: live } = useLive();
  const site = useSite();
  const [lane, setLane] = useState<Lane | null>(null);
  const [lanesLoaded, setLanesLoaded] = useState(false);
  // A lane whose camera the core reads itself: no browser camera, the core's live view instead.
  const coreCamera = lane?.camera === 'core';
  const { videoRef, state: cam, retry } = useCamera(lanesLoaded && !coreCamera);
  const [last, setLast] = useState<{ p: Passage; shownAt: number; n: number } | null>(null);
  const [hints, setHints] = useState<Hint[]>([]);
  const [engine, setEngine] = useState<'unknown' | 'ok' | 'unavailable'>('unknown');
  const [backlog, setBacklog] = useState<number | null>(null);
  const [voice, setVoice] = useState(() => localStorage.getItem(`sitegate.voice.${laneId}`) === 'on');
  const [now, setNow] = useState(() => Date.now());
  const retryEngineAt = useRef(0);

  useEffect(() => {
    coreApi.lanes().then(
      (ls) => {
        setLane(ls.find((l) => l.id === laneId) ?? null);
        setLanesLoaded(true);
      },
      () => setLanesLoaded(true),
    );
  }, [laneId]);

  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(i);
  }, []);

  useLiveEvents((e) => {
    if (e.type === 'sync.progress') setBacklog(e.backlog);
    if (e.type !== 'passage' || e.laneId !== laneId) return;
    setLast((prev) => ({ p: e, shownAt: Date.now(), n: (prev?.n ?? 0) + 1 }));
    if (voice) speak(announcement(e, lang === 'zh' ? 'zh' : 'en'), lang === 'zh' ? 'zh-CN' : 'en-GB');
  });

  // Frames go to the core's lane pipeline (~4 fps); its hints are shown while it collects.
  // Without a face engine (older core, models missing) a local light check still helps and
  // the screen says face recognition is unavailable; the core is asked again every 10 s.
  useEffect(() => {
    if (cam !== 'live') return;
    let busy = false;
    const local = (): Hint[] => {
      const v = videoRef.current;
      const h = v ? lightHint(centreLuma(v)) : null;
      return h ? [{ code: h, message: reasonText(h) }] : [];
    };
    const i = setInterval(() => {
      const v = videoRef.current;
      if (!v || busy) return;
      if (Date.now() < retryEngineAt.current) {
        setHints(local());
        return;
      }
      busy = true;
      grabJpeg(v, 640, 0.8)
        .then(async (jpeg) => {
          if (!jpeg) return;
          let o;
          try {
            o = await postLaneFrame(laneId, jpeg);
          } catch (err) {
            if (!engineUnavailable(err)) throw err;
            setEngine('unavailable');
            retryEngineAt.current = Date.now() + 10_000;
            setHints(local());
            return;
          }
          setEngine('ok');
          if (o.state === 'collecting') setHints(o.hints);
          else if (o.state === 'rejected_frame') setHints(o.reasons);
          else if (o.state === 'decided') setHints([]);
        })
        .catch(() => {})
        .finally(() => (busy = false));
    }, FRAME_MS);
    return () => clearInterval(i);
  }, [cam, laneId, videoRef]);

  // Shown for SHOW_MS from arrival (local time: the core's clock may differ on a LAN display).
  const showing = last && now - last.shownAt < SHOW_MS ? last.p : null;
  const offline = live.kind !== 'open';
  // Without a picture nobody can pass by face: the screen says so instead of 请正对摄像头.
  // A lane whose camera the core reads shows the core's live view: this page has no camera to
  // lose (the core reports that camera's health with the devices).
  const picture = coreCamera ? 'live' : cam;
  const cameraDown = picture !== 'live' && picture !== 'starting';
  const pill = offline
    ? { cls: 'pill bad', text: t('gate.offline') }
    : cameraDown
      ? { cls: 'pill bad', text: t('gate.camera_pill') }
      : picture === 'starting'
        ? { cls: 'pill warn', text: t('gate.camera_starting_pill') }
        : backlog
          ? { cls: 'pill warn', text: t('gate.backlog', { n: backlog }) }
          : { cls: 'pill ok', text: t('gate.online') };

  return (
    <div className="gate" data-testid="gate" data-lane={laneId} data-decisions={last?.n ?? 0}>
      <header className="gate-bar">
        <span className="lane-name" data-testid="lane-name">
          {lane ? lane.name : laneLabel(laneId, [], t)}
        </span>
        <span className="clock" data-testid="gate-clock">
          {siteTime(now, site.timeZone, lang)}
        </span>
        <span className={pill.cls} data-testid="gate-link" data-camera={picture}>
          {pill.text}
        </span>
        {voiceAvailable() && (
          <button
            type="button"
            className={voice ? 'toggle on' : 'toggle'}
            aria-pressed={voice}
            data-testid="voice-toggle"
            onClick={() => {
              localStorage.setItem(`sitegate.voice.${laneId}`, voice ? 'off' : 'on');
              setVoice(!voice);
            }}
          >
            {t('gate.voice')}
          </button>
        )}
        <button
          type="button"
          className="toggle"
          lang={lang === 'zh' ? 'en' : 'zh'}
          data-testid="gate-lang"
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        >
          {lang === 'zh' ? 'English' : '中文'}
        </button>
      </header>
      <ConnectionBanner />
      <div className="gate-main">
        {coreCamera ? (
          <div className="camera" data-testid="camera" data-state="core">
            <LiveVideo laneId={laneId} label={t('gate.look_at_camera')} />
          </div>
        ) : (
          <CameraView videoRef={videoRef} state={cam} onRetry={retry} />
        )}
        <aside className="gate-side">
          {showing ? (
            <DecisionPanel p={showing} />
          ) : cameraDown ? (
            <div className="panel idle down" data-testid="gate-idle" data-state="camera-down" role="alert">
              <p className="big">{t('gate.camera_down')}</p>
              <p>{t('gate.camera_down_do')}</p>
            </div>
          ) : (
            <div className="panel idle" data-testid="gate-idle">
              {t('gate.look_at_camera')}
            </div>
          )}
          {engine === 'unavailable' && (
            <p className="banner warn" data-testid="engine-unavailable">
              {t('gate.engine_unavailable')}
            </p>
          )}
          <div className="hints" data-testid="hints" aria-live="polite">
            {/* While a decision shows, its panel says what to do: no camera hint beside it. */}
            {showing || picture !== 'live' ? null : hints.length === 0 ? (
              <p className="hint ok">{t('gate.hint_ready')}</p>
            ) : (
              hints.map((h) => (
                <p key={h.code} className="hint">
                  {pick(h.message)}
                </p>
              ))
            )}
          </div>
          {site.demo && (
            <p className="demo-note" data-testid="gate-demo-note">
              <strong>{t('gate.demo_note')}</strong> {t(site.helmet === 'refuse' ? 'demo.helmet_refuse' : site.helmet === 'remind' ? 'demo.helmet_remind' : 'demo.helmet_ignore')}
            </p>
          )}
        </aside>
      </div>
    </div>
  );
}

function DecisionPanel({ p }: { p: Passage }) {
  const { t, pick } = useI18n();
  // A second scan just after a pass: nothing is wrong, the record exists (no red 重复打卡).
  if (isRepeatScan(p))
    return (
      <div className="panel recorded" data-testid="recorded-panel" role="status">
        <p className="huge">{t('gate.recorded')}</p>
        {p.workerName && (
          <p className="big" data-testid="pass-name">
            {p.workerName}
          </p>
        )}
        <p>{t('gate.recorded_hint')}</p>
      </div>
    );
  if (p.decision === 'pass')
    return (
      <div className="panel pass" data-testid="pass-panel" role="status">
        <div className="avatar" aria-hidden="true">
          {(p.workerName ?? '?').slice(0, 1)}
        </div>
        <p className="huge" data-testid="pass-name">
          {p.workerName ?? t('gate.unknown')}
        </p>
        <p className="big">{p.teamName ?? ''}</p>
        <p className="big direction">{p.direction === 'in' ? t('gate.in') : t('gate.out')}</p>
      </div>
    );
  const first = p.reasons[0];
  return (
    <div className="panel refuse" data-testid="refuse-panel" role="alert">
      <p className="huge">{t('gate.refused')}</p>
      {p.reasons.slice(0, 2).map((r, i) => (
        <p key={r} className="big reason" data-testid="refuse-reason">
          {pick(p.reasonTexts?.[i] ?? reasonText(r))}
        </p>
      ))}
      <p className="next-step" data-testid="refuse-next">
        {t(reasonNextStep(first))}
      </p>
      {p.workerName && <p>{p.workerName}</p>}
    </div>
  );
}

export function announcement(p: Passage, lang: 'zh' | 'en'): string {
  if (isRepeatScan(p)) return lang === 'zh' ? '已记录，请通行' : 'Already recorded, go ahead';
  if (p.decision === 'pass') {
    const who = p.workerName ?? '';
    return lang === 'zh'
      ? `${who}，${p.direction === 'in' ? '欢迎进场' : '再见'}`
      : `${who}, ${p.direction === 'in' ? 'welcome' : 'goodbye'}`;
  }
  const r = p.reasons[0];
  const why = r
    ? (p.reasonTexts?.[0] ?? reasonText(r))[lang]
    : lang === 'zh'
      ? '请联系管理人员'
      : 'please see the staff';
  return lang === 'zh' ? `未通过，${why}` : `Refused: ${why}`;
}

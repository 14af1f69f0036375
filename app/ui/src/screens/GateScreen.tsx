// Gate screen of one lane (#/gate/lane-1): camera with the face guide, quality hints, the
// last decision (pass: name, team, direction; refusal: a short reason), an offline/backlog
// indicator and optional voice. Decisions arrive as `passage` live events for this lane.
import { useEffect, useRef, useState } from 'react';
import type { LiveEvent } from '../../../shared/api-types.js';
import { coreApi, type Lane } from '../api/core.js';
import { postLaneFrame } from '../api/gate.js';
import type { Bilingual } from '../../../shared/i18n/messages.js';
import { useCamera, grabJpeg, centreLuma, lightHint } from '../lib/camera.js';
import { useLive, useLiveEvents } from '../lib/live.js';
import { reasonText } from '../lib/reasons.js';
import { useI18n } from '../i18n/i18n.js';
import { CameraView } from '../components/CameraView.js';
import { ConnectionBanner } from '../components/ConnectionBanner.js';
import { speak, voiceAvailable } from '../lib/voice.js';

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
          const r = await postLaneFrame(laneId, jpeg);
          if (!r.available) {
            setEngine('unavailable');
            retryEngineAt.current = Date.now() + 10_000;
            setHints(local());
            return;
          }
          setEngine('ok');
          const o = r.value;
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

  return (
    <div className="gate" data-testid="gate" data-lane={laneId} data-decisions={last?.n ?? 0}>
      <header className="gate-bar">
        <span className="lane-name" data-testid="lane-name">
          {lane ? lane.name : laneId}
        </span>
        <span className="clock">
          {new Date(now).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          })}
        </span>
        <span className={offline ? 'pill bad' : backlog ? 'pill warn' : 'pill ok'} data-testid="gate-link">
          {offline ? t('gate.offline') : backlog ? t('gate.backlog', { n: backlog }) : t('gate.online')}
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
        <button type="button" className="toggle" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {lang === 'zh' ? 'English' : '中文'}
        </button>
      </header>
      <ConnectionBanner />
      <div className="gate-main">
        {coreCamera ? (
          <div className="camera" data-testid="camera" data-state="core">
            <img src={`/api/lanes/${encodeURIComponent(laneId)}/live.mjpeg`} alt={t('gate.look_at_camera')} data-testid="lane-live" />
          </div>
        ) : (
          <CameraView videoRef={videoRef} state={cam} onRetry={retry} />
        )}
        <aside className="gate-side">
          {showing ? (
            <DecisionPanel p={showing} />
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
            {hints.length === 0 ? (
              <p className="hint ok">{cam === 'live' ? t('gate.hint_ready') : ''}</p>
            ) : (
              hints.map((h) => (
                <p key={h.code} className="hint">
                  {pick(h.message)}
                </p>
              ))
            )}
          </div>
        </aside>
      </div>
    </div>
  );
}

function DecisionPanel({ p }: { p: Passage }) {
  const { t, pick } = useI18n();
  if (p.decision === 'pass')
    return (
      <div className="panel pass" data-testid="pass-panel" role="status">
        <div className="avatar" aria-hidden="true">
          {(p.workerName ?? '?').slice(0, 1)}
        </div>
        {p.duplicate && <p className="big">{t('gate.duplicate')}</p>}
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
      {!first && <p className="big">{t('gate.see_staff')}</p>}
      {p.workerName && <p>{p.workerName}</p>}
    </div>
  );
}

export function announcement(p: Passage, lang: 'zh' | 'en'): string {
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

// Step 2: live capture with quality guidance and liveness, then the 1:1 score against the ID
// card photo. Frames stream to the core's capture session (POST /api/enrollment/sessions/…/
// frames, ~5 fps) until its liveness window decides; the per-frame reasons are the guidance.
// With the production liveness policy the session carries a random challenge (two prompted
// actions: turn left/right, blink twice) shown here step by step; a recorded video cannot
// answer it.
// Without a face engine in the core a local snapshot is taken and the screen says that no
// check was made (only the manual-entry path can then be saved, flagged).
import { useEffect, useRef, useState } from 'react';
import {
  openCaptureSession,
  addCaptureFrame,
  matchIdPhoto,
  type ChallengeJson,
  type FaceReasonJson,
} from '../../api/gate.js';
import { ApiCallError } from '../../api/http.js';
import { useCamera, grabFrame, grabJpeg, centreLuma, lightHint, blobToDataUrl } from '../../lib/camera.js';
import { reasonText } from '../../lib/reasons.js';
import { useI18n } from '../../i18n/i18n.js';
import { CameraView } from '../../components/CameraView.js';
import { ErrorText } from '../../components/ErrorText.js';
import type { EnrollDraft } from './draft.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_FRAMES = 120;
const NO_PICTURE = {
  zh: '摄像头尚无画面，请稍候再试',
  en: 'The camera shows no picture yet; wait a moment and try again',
};
/** Longest capture: the challenge allows 15 s, plus the passive window. */
const MAX_CAPTURE_MS = 25_000;

export function CaptureStep({
  draft,
  update,
  snapshot,
  setSnapshot,
  next,
  back,
}: {
  draft: EnrollDraft;
  update(p: Partial<EnrollDraft>): void;
  snapshot: string | null;
  setSnapshot(s: string | null): void;
  next(): void;
  back(): void;
}) {
  const { t, pick } = useI18n();
  const { videoRef, state, retry } = useCamera(true);
  const [busy, setBusy] = useState(false);
  const [hints, setHints] = useState<FaceReasonJson[]>([]);
  const [progress, setProgress] = useState<{ n: number; needed: number } | null>(null);
  const [liveReasons, setLiveReasons] = useState<FaceReasonJson[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [engineNote, setEngineNote] = useState<string | null>(null);
  const [challenge, setChallenge] = useState<ChallengeJson | null>(null);
  const cancelled = useRef(false);
  useEffect(
    () => () => {
      cancelled.current = true;
    },
    [],
  );

  const localSnapshot = async (v: HTMLVideoElement, why: string | null) => {
    const f = grabFrame(v, 640, 0.9);
    if (!f) {
      // No picture from the camera yet: nothing is taken, the clerk tries again.
      setError(new ApiCallError(0, 'enroll.no_picture', NO_PICTURE));
      return;
    }
    setSnapshot(f);
    const hint = lightHint(centreLuma(v));
    setHints(hint ? [{ code: hint, message: reasonText(hint) }] : []);
    setEngineNote(why);
    update({
      sessionId: null,
      face: { engine: false, live: false, matchDecision: null, score: null, threshold: null, ok: !hint },
    });
  };

  const capture = async () => {
    const v = videoRef.current;
    if (!v || busy) return;
    setBusy(true);
    setError(null);
    setLiveReasons([]);
    setChallenge(null);
    update({ face: null });
    try {
      // A fresh session each time: the liveness window must be one continuous capture.
      const opened = await openCaptureSession();
      if (!opened.available) {
        await localSnapshot(v, opened.text ? pick(opened.text) : null);
        return;
      }
      const { sessionId, needed } = opened.value;
      setChallenge(opened.value.challenge);
      update({ sessionId });
      const until = Date.now() + MAX_CAPTURE_MS;
      // The review's thumbnail: the last frame the core accepted, from the very bytes it judged
      // (not a second grab of the video element, which may be between streams by then).
      let accepted: Blob | null = null;
      for (let i = 0; i < MAX_FRAMES && !cancelled.current && Date.now() < until; i++) {
        const jpeg = await grabJpeg(v, 640, 0.9);
        if (jpeg) {
          const fb = await addCaptureFrame(sessionId, jpeg);
          setHints(fb.reasons);
          setChallenge(fb.challenge);
          setProgress({ n: fb.frames, needed: fb.needed || needed });
          if (fb.accepted) accepted = jpeg;
          if (fb.liveness) {
            if (!fb.liveness.live) {
              setLiveReasons(fb.liveness.reasons);
              update({
                face: {
                  engine: true,
                  live: false,
                  matchDecision: null,
                  score: null,
                  threshold: null,
                  ok: false,
                },
              });
              return;
            }
            setSnapshot(accepted ? await blobToDataUrl(accepted) : grabFrame(v, 480, 0.85));
            let m: Awaited<ReturnType<typeof matchIdPhoto>> | null = null;
            if (draft.source === 'card' && draft.cardReadId)
              m = await matchIdPhoto(sessionId, draft.cardReadId);
            const ok = !m || m.decision !== 'no_match';
            if (m && m.decision !== 'match') setHints(m.reasons);
            update({
              face: {
                engine: true,
                live: true,
                matchDecision: m?.decision ?? null,
                score: m?.score ?? null,
                threshold: m?.threshold ?? null,
                ok,
              },
            });
            return;
          }
        }
        await sleep(200);
      }
      setError(
        new ApiCallError(0, 'enroll.no_live_face', {
          zh: '未能采集到足够的人脸画面，请正对摄像头后重试',
          en: 'Not enough usable face frames; face the camera and try again',
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const face = draft.face;
  const canSaveWithoutEngine = draft.source === 'manual';
  return (
    <div className="step capture" data-testid="step-capture">
      <div className="capture-row">
        <CameraView videoRef={videoRef} state={state} onRetry={retry} />
        <aside>
          <p className="big">{t('enroll.capture_how')}</p>
          <ul className="tips">
            <li>{t('enroll.tip_face')}</li>
            <li>{t('enroll.tip_light')}</li>
            <li>{t('enroll.tip_still')}</li>
          </ul>
          {snapshot && (
            <img className="snapshot" src={snapshot} alt={t('enroll.snapshot')} data-testid="snapshot" />
          )}
          {challenge && busy && challenge.state === 'pending' && (
            <div className="challenge" data-testid="challenge-prompt" data-step={challenge.current ?? ''}>
              <p>{t('enroll.challenge_title')}</p>
              <ol>
                {challenge.steps.map((s) => (
                  <li
                    key={s.step}
                    className={s.done ? 'ok' : s.step === challenge.current ? 'big' : undefined}
                  >
                    {s.done ? '✓ ' : ''}
                    {pick(s.prompt)}
                  </li>
                ))}
              </ol>
              <p>{t('enroll.challenge_left', { s: Math.ceil(challenge.remainingMs / 1000) })}</p>
            </div>
          )}
          {progress && busy && (
            <p data-testid="capture-progress">
              {t('enroll.frames', { n: progress.n, needed: progress.needed })}
            </p>
          )}
          <div className="checks" data-testid="capture-hints">
            {hints.map((r) => (
              <p key={r.code} className="hint">
                {pick(r.message)}
              </p>
            ))}
          </div>
          {face && (
            <div
              className="score"
              data-testid="match-score"
              data-live={String(face.live)}
              data-engine={String(face.engine)}
            >
              {!face.engine ? (
                <p className="warn" data-testid="no-engine">
                  {t('enroll.no_engine')}
                  {engineNote ? ` (${engineNote})` : ''}
                </p>
              ) : !face.live ? (
                <p className="bad" data-testid="liveness-failed">
                  {t('enroll.live_bad')}
                  {liveReasons.map((r) => pick(r.message)).join('，')}
                </p>
              ) : (
                <>
                  <p className="ok">{t('enroll.live_ok')}</p>
                  {face.score !== null && face.threshold !== null ? (
                    <>
                      <p className="big">
                        {t('enroll.score', {
                          score: face.score.toFixed(2),
                          threshold: face.threshold.toFixed(2),
                        })}
                      </p>
                      <meter
                        min={0}
                        max={1}
                        low={face.threshold}
                        optimum={1}
                        value={Math.max(0, face.score)}
                      />
                      <p className={face.ok ? 'ok' : 'bad'}>
                        {face.ok ? t('enroll.match_ok') : t('enroll.match_bad')}
                      </p>
                    </>
                  ) : (
                    <p>{t('enroll.no_card_photo')}</p>
                  )}
                </>
              )}
            </div>
          )}
          {face && !face.engine && !canSaveWithoutEngine && (
            <p className="error">{t('enroll.card_needs_engine')}</p>
          )}
          <ErrorText error={error} />
        </aside>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={back} disabled={busy}>
          {t('common.back')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={state !== 'live' || busy}
          onClick={() => void capture()}
          data-testid="capture"
        >
          {busy ? t('enroll.capturing') : face ? t('enroll.recapture') : t('enroll.capture')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || !face || (face.engine ? !face.ok : !canSaveWithoutEngine)}
          onClick={next}
          data-testid="next"
        >
          {t('common.next')}
        </button>
      </div>
    </div>
  );
}

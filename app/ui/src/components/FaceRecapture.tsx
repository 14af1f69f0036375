// Face re-capture of an enrolled worker (worker screen, and the compliance screen's 重新采集人脸):
// live frames go to a capture session until its liveness window decides, then the core replaces
// the worker's face templates (comparing the new face with the ID photo when there is one).
import { useEffect, useRef, useState } from 'react';
import { addCaptureFrame, openCaptureSession, type FaceReasonJson } from '../api/gate.js';
import { siteApi } from '../api/site.js';
import { ApiCallError } from '../api/http.js';
import { useCamera, grabJpeg } from '../lib/camera.js';
import { useI18n } from '../i18n/i18n.js';
import { CameraView } from './CameraView.js';
import { ErrorText } from './ErrorText.js';
import type { Bilingual } from '../../../shared/i18n/messages.js';

const MAX_FRAMES = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function FaceRecapture({ workerId, onDone, onCancel }: { workerId: number; onDone(): void; onCancel(): void }) {
  const { t, pick } = useI18n();
  const { videoRef, state, retry } = useCamera(true);
  const [busy, setBusy] = useState(false);
  const [hints, setHints] = useState<FaceReasonJson[]>([]);
  const [progress, setProgress] = useState<{ n: number; needed: number } | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const cancelled = useRef(false);
  useEffect(
    () => () => {
      cancelled.current = true;
    },
    [],
  );

  const run = async () => {
    const v = videoRef.current;
    if (!v || busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      // A 503 (the face engine not loaded) is shown with its words, as any other error.
      const { sessionId, needed } = await openCaptureSession();
      for (let i = 0; i < MAX_FRAMES && !cancelled.current; i++) {
        const jpeg = await grabJpeg(v, 640, 0.9);
        if (jpeg) {
          const fb = await addCaptureFrame(sessionId, jpeg);
          setHints(fb.reasons);
          setProgress({ n: fb.frames, needed: fb.needed || needed });
          if (fb.liveness) {
            if (!fb.liveness.live) {
              setHints(fb.liveness.reasons);
              setError(new ApiCallError(409, 'enroll.not_live', { zh: '活体检测未通过，请重新采集', en: 'Liveness check not passed; capture again' }));
              return;
            }
            const r = await siteApi.recaptureFace(workerId, sessionId);
            setDone(r.templates);
            onDone();
            return;
          }
        }
        await sleep(200);
      }
      setError(new ApiCallError(0, 'enroll.no_live_face', { zh: '未能采集到足够的人脸画面，请正对摄像头后重试', en: 'Not enough usable face frames; face the camera and try again' }));
    } catch (err) {
      // The core's reason (e.g. the face does not match the ID photo) is in the details.
      const d = err instanceof ApiCallError ? (err.details as { message?: Bilingual } | undefined) : undefined;
      setError(d?.message ? new ApiCallError(409, 'worker.face_failed', d.message) : err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="recapture" data-testid="face-recapture">
      <p className="small">{t('workers.recapture_hint')}</p>
      <div className="capture-row">
        <CameraView videoRef={videoRef} state={state} onRetry={retry} />
        <aside>
          {progress && busy && <p>{t('enroll.frames', { n: progress.n, needed: progress.needed })}</p>}
          <div className="checks">
            {hints.map((h) => (
              <p key={h.code} className="hint">
                {pick(h.message)}
              </p>
            ))}
          </div>
          {done !== null && (
            <p className="ok" data-testid="recapture-done">
              {t('workers.recapture_done', { n: done })}
            </p>
          )}
          <ErrorText error={error} testId="recapture-error" />
        </aside>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          {t('common.close')}
        </button>
        <button type="button" className="primary" data-testid="recapture-start" disabled={state !== 'live' || busy} onClick={() => void run()}>
          {busy ? t('enroll.capturing') : t('workers.recapture_start')}
        </button>
      </div>
    </div>
  );
}

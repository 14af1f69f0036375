// Live camera with the oval face guide, or a clear message when there is no picture.
import type { RefObject } from 'react';
import type { CameraState } from '../lib/camera.js';
import { useI18n } from '../i18n/i18n.js';
import type { TextKey } from '../i18n/texts.js';

const MESSAGES: Record<Exclude<CameraState, 'live'>, TextKey> = {
  starting: 'camera.starting',
  denied: 'camera.denied',
  absent: 'camera.absent',
  unplugged: 'camera.unplugged',
  unsupported: 'camera.unsupported',
  error: 'camera.error',
};

export function CameraView({
  videoRef,
  state,
  onRetry,
  guide = true,
}: {
  videoRef: RefObject<HTMLVideoElement | null>;
  state: CameraState;
  onRetry(): void;
  guide?: boolean;
}) {
  const { t } = useI18n();
  return (
    <div className="camera" data-testid="camera" data-state={state}>
      <video ref={videoRef} muted playsInline autoPlay />
      {guide && state === 'live' && (
        <svg className="guide" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">
          <ellipse cx="50" cy="46" rx="19" ry="32" />
        </svg>
      )}
      {state !== 'live' && (
        <div className="camera-msg" role="alert" data-testid="camera-message">
          <p className="big">{t(MESSAGES[state])}</p>
          {state !== 'starting' && <p>{t(`${MESSAGES[state]}_do` as TextKey)}</p>}
          {state !== 'starting' && (
            <button type="button" className="primary" onClick={onRetry}>
              {t('camera.retry')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

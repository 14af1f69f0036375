// A lane camera's live picture: the camera's own H.264/H.265 when this browser can play it
// (pass-through), else MJPEG, else a still frame every 2 s — with the mode shown, so the
// supervisor knows whether the picture is live. See lib/live-video.ts.
import { useEffect, useRef, useState } from 'react';
import { currentToken } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { playMjpeg, playPassthrough, playStill, type LiveMode, type Player } from '../lib/live-video.js';

export function LiveVideo({ laneId, label, className }: { laneId: string; label: string; className?: string }) {
  const { t } = useI18n();
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const imgRef = useRef<HTMLImageElement | null>(null);
  const [mode, setMode] = useState<LiveMode>('connecting');
  const [codec, setCodec] = useState('');
  const [why, setWhy] = useState('');

  useEffect(() => {
    let picture: Player | null = null; // MJPEG or still, while pass-through is not playing
    let stream: Player | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let alive = true;
    const token = currentToken();
    const still = (): void => {
      if (!alive || !imgRef.current) return;
      picture = playStill(imgRef.current, laneId, token, { onFrame: () => alive && setMode((m) => (m === 'passthrough' ? m : 'still')) });
    };
    const mjpeg = (): void => {
      if (!alive || !imgRef.current || picture) return;
      picture = playMjpeg(imgRef.current, laneId, token, {
        onFrame: () => alive && setMode((m) => (m === 'passthrough' ? m : 'mjpeg')),
        fallback: () => {
          picture?.stop();
          picture = null;
          still();
        },
      });
    };
    const passthrough = (): void => {
      if (!alive || !videoRef.current) return;
      stream = playPassthrough(videoRef.current, laneId, token, {
        onPlaying: (c) => {
          if (!alive) return;
          // Playing (again): the fallback picture is no longer needed.
          picture?.stop();
          picture = null;
          setCodec(c);
          setWhy('');
          setMode('passthrough');
        },
        fallback: (reason, permanent) => {
          if (!alive) return;
          stream = null;
          setWhy(reason);
          setMode((m) => (m === 'passthrough' ? 'connecting' : m));
          mjpeg();
          // A stream that failed (camera or core restarting) is tried again; a codec this browser cannot play is not.
          if (!permanent) retry = setTimeout(passthrough, 30_000);
        },
      });
    };
    if (typeof MediaSource !== 'undefined') passthrough();
    else {
      setWhy('Media Source Extensions unavailable');
      mjpeg();
    }
    return () => {
      alive = false;
      if (retry) clearTimeout(retry);
      stream?.stop();
      picture?.stop();
    };
  }, [laneId]);

  const video = mode === 'passthrough' || mode === 'connecting';
  return (
    <div className={`live-video ${className ?? ''}`} data-testid="live-video" data-lane={laneId} data-mode={mode} data-codec={codec} data-fallback-reason={why}>
      <video ref={videoRef} muted playsInline autoPlay hidden={!video} aria-label={label} data-testid="live-video-element" />
      <img ref={imgRef} alt={label} hidden={video} data-testid="lane-live" />
      <span className="live-mode" data-testid="live-mode">
        {mode === 'passthrough'
          ? t('live.mode_passthrough')
          : mode === 'mjpeg'
            ? t('live.mode_mjpeg')
            : mode === 'still'
              ? t('live.mode_still')
              : t('live.connecting')}
      </span>
    </div>
  );
}

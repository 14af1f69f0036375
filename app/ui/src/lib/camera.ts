// The camera as a React hook: starts getUserMedia, reports a state a person can act on
// (denied, absent, unplugged), retries when a device is plugged in, and stops the tracks
// when the screen closes.
import { useCallback, useEffect, useRef, useState } from 'react';

export type CameraState = 'starting' | 'live' | 'denied' | 'absent' | 'unplugged' | 'unsupported' | 'error';

export function classifyCameraError(err: unknown): CameraState {
  const name = (err as { name?: string })?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError')
    return 'denied';
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError')
    return 'absent';
  return 'error';
}

export function useCamera(enabled = true) {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const [state, setState] = useState<CameraState>('starting');
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    if (!navigator.mediaDevices?.getUserMedia) {
      setState('unsupported');
      return;
    }
    setState('starting');
    navigator.mediaDevices
      .getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' },
        audio: false,
      })
      .then(
        (stream) => {
          if (cancelled) {
            stream.getTracks().forEach((t) => t.stop());
            return;
          }
          streamRef.current = stream;
          for (const track of stream.getVideoTracks())
            track.addEventListener('ended', () => !cancelled && setState('unplugged'));
          const v = videoRef.current;
          if (!v) {
            setState('live');
            return;
          }
          v.srcObject = stream;
          void v.play().catch(() => {});
          // 'live' means a picture is there: until the first frame is decoded a grab would be
          // empty (a capture without a photo), which a slow machine makes likely.
          const shown = () => {
            if (cancelled) return;
            if (v.videoWidth > 0) setState('live');
            else v.addEventListener('loadeddata', shown, { once: true });
          };
          shown();
        },
        (err: unknown) => !cancelled && setState(classifyCameraError(err)),
      );
    return () => {
      cancelled = true;
      streamRef.current?.getTracks().forEach((t) => t.stop());
      streamRef.current = null;
    };
  }, [enabled, attempt]);

  // A camera plugged in (or back) while we are not live: try again.
  useEffect(() => {
    if (state === 'live' || state === 'starting' || !navigator.mediaDevices) return;
    const on = () => retry();
    navigator.mediaDevices.addEventListener('devicechange', on);
    return () => navigator.mediaDevices.removeEventListener('devicechange', on);
  }, [state, retry]);

  return { videoRef, state, retry };
}

/** Grabs the current video frame as a JPEG data URL (null while the video has no frame). */
export function grabFrame(video: HTMLVideoElement, maxWidth = 640, quality = 0.85): string | null {
  if (!video.videoWidth) return null;
  const scale = Math.min(1, maxWidth / video.videoWidth);
  const c = document.createElement('canvas');
  c.width = Math.round(video.videoWidth * scale);
  c.height = Math.round(video.videoHeight * scale);
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(video, 0, 0, c.width, c.height);
  return c.toDataURL('image/jpeg', quality);
}

/** Mean luma (0–255) of the centre of the frame, where the face guide is. */
export function centreLuma(video: HTMLVideoElement): number | null {
  if (!video.videoWidth) return null;
  const c = document.createElement('canvas');
  c.width = 64;
  c.height = 64;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  const w = video.videoWidth;
  const h = video.videoHeight;
  ctx.drawImage(video, w * 0.3, h * 0.2, w * 0.4, h * 0.6, 0, 0, 64, 64);
  const d = ctx.getImageData(0, 0, 64, 64).data;
  let sum = 0;
  for (let i = 0; i < d.length; i += 4)
    sum += 0.299 * (d[i] ?? 0) + 0.587 * (d[i + 1] ?? 0) + 0.114 * (d[i + 2] ?? 0);
  return sum / (d.length / 4);
}

/** Local light hint until the face engine's hints arrive: too dark / too bright. */
export function lightHint(luma: number | null): 'quality.too_dark' | 'quality.too_bright' | null {
  if (luma === null) return null;
  if (luma < 40) return 'quality.too_dark';
  if (luma > 225) return 'quality.too_bright';
  return null;
}

/** The current video frame as a JPEG Blob (what the core's frame routes take). */
/** A picture's bytes as a data: URL for an <img> (null when the browser cannot read them). */
export function blobToDataUrl(blob: Blob): Promise<string | null> {
  return new Promise((resolve) => {
    const r = new FileReader();
    r.onload = () => resolve(typeof r.result === 'string' ? r.result : null);
    r.onerror = () => resolve(null);
    r.readAsDataURL(blob);
  });
}

export function grabJpeg(video: HTMLVideoElement, maxWidth = 640, quality = 0.85): Promise<Blob | null> {
  if (!video.videoWidth) return Promise.resolve(null);
  const scale = Math.min(1, maxWidth / video.videoWidth);
  const c = document.createElement('canvas');
  c.width = Math.round(video.videoWidth * scale);
  c.height = Math.round(video.videoHeight * scale);
  const ctx = c.getContext('2d');
  if (!ctx) return Promise.resolve(null);
  ctx.drawImage(video, 0, 0, c.width, c.height);
  return new Promise((resolve) => c.toBlob((b) => resolve(b), 'image/jpeg', quality));
}

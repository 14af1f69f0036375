// Which refused passages reach the platform (decision 0012): helmet refusals of identified
// workers (Jiangxi device standard 5: 禁止该人员通行，并将记录上传给业务平台), switched by the
// platform's profile unless the configuration says otherwise.
import { DEFAULT_REFUSAL_UPLOAD, type RefusalUploadPolicy } from '../../edge-core/src/index.js';
import type { AppConfig } from './config.js';

/** The policy the attendance store queues by; null when nothing is uploaded. */
export function refusalUploadPolicy(config: Pick<AppConfig, 'platform'>): RefusalUploadPolicy | null {
  const p = config.platform;
  if (p.type === 'off') return null;
  const enabled = p.refusalUpload.enabled ?? p.profile === 'jiangxi';
  return enabled ? { reasons: DEFAULT_REFUSAL_UPLOAD.reasons, minIntervalMs: p.refusalUpload.minIntervalSeconds * 1000 } : null;
}

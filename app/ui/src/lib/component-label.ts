// The name of a health component (`/health` components) as the supervisor reads it: the core's
// own parts by their i18n label, devices by their configured id, anything new by its raw name.
import { TEXTS, type TextKey } from '../i18n/texts.js';

export function componentLabel(name: string, t: (key: TextKey) => string): string {
  const key = `health.${name}`;
  if (Object.hasOwn(TEXTS, key)) return t(key as TextKey);
  if (name.startsWith('device:')) return name.slice('device:'.length);
  return name;
}

// The name of a health component (`/health` components) as the supervisor reads it: the core's
// own parts by their i18n label; devices and parts this UI does not know yet by a generic word
// (never a raw id such as `device:turnstile-modbus`; screens that have the device list name
// devices by kind and lane, see words.ts deviceLabel).
import { TEXTS, type TextKey } from '../i18n/texts.js';

export function componentLabel(name: string, t: (key: TextKey) => string): string {
  const key = `health.${name}`;
  if (Object.hasOwn(TEXTS, key)) return t(key as TextKey);
  if (name.startsWith('device:')) return t('device.name');
  return t('health.other');
}

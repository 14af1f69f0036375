// Navigation lock of the kiosk windows: only the core's own origin (scheme, host and port) is
// ever loaded; everything else — other sites, file:, data:, javascript:, new windows — is
// refused. Camera access is granted to the core's origin only. Pure, no Electron.
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin;
  } catch {
    return null;
  }
}

export function isAllowedNavigation(target: string, coreUrl: string): boolean {
  const core = originOf(coreUrl);
  const dest = originOf(target);
  return core !== null && dest !== null && core === dest;
}

/** Electron permission names the kiosk may get, and only from the core's origin. */
const ALLOWED_PERMISSIONS = new Set(['media', 'speaker-selection']);

export function isAllowedPermission(
  permission: string,
  requestingUrl: string,
  coreUrl: string,
  mediaTypes: readonly string[] = [],
): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission)) return false;
  if (!isAllowedNavigation(requestingUrl, coreUrl)) return false;
  // Camera only: the kiosk never records sound.
  if (permission === 'media' && mediaTypes.some((t) => t !== 'video')) return false;
  return true;
}

/**
 * The shell's Content-Security-Policy, added to every response of the core's origin (the core
 * sends one too; the stricter of the two applies). Connections only to the core itself.
 */
export function contentSecurityPolicy(coreUrl: string): string {
  const origin = originOf(coreUrl) ?? "'none'";
  const ws = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self' ${ws}`,
    "font-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

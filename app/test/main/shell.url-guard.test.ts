// The kiosk's navigation lock, camera permission and CSP: only the core's own origin.
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isAllowedNavigation,
  isAllowedPermission,
  originOf,
} from '../../main/url-guard.js';

const CORE = 'http://127.0.0.1:8686';

describe('kiosk navigation lock', () => {
  it('allows the core origin, any path and hash', () => {
    expect(isAllowedNavigation('http://127.0.0.1:8686/#/gate/lane-1', CORE)).toBe(true);
    expect(isAllowedNavigation('http://127.0.0.1:8686/api/health?x=1', CORE)).toBe(true);
  });

  it.each([
    ['another port', 'http://127.0.0.1:8687/'],
    ['another host', 'http://localhost:8686/'],
    ['https instead of http', 'https://127.0.0.1:8686/'],
    ['a remote site', 'https://example.com/'],
    ['userinfo trick', 'http://127.0.0.1:8686@evil.example/'],
    ['file URL', 'file:///etc/passwd'],
    ['data URL', 'data:text/html,<script>alert(1)</script>'],
    ['javascript URL', 'javascript:alert(1)'],
    ['devtools', 'devtools://devtools/bundled/inspector.html'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_name, url) => {
    expect(isAllowedNavigation(url, CORE)).toBe(false);
  });

  it('refuses everything when the core URL itself is not http(s)', () => {
    expect(originOf('file:///x')).toBeNull();
    expect(isAllowedNavigation('file:///x', 'file:///x')).toBe(false);
  });
});

describe('kiosk permissions', () => {
  it('grants the camera to the core only, and never the microphone or anything else', () => {
    expect(isAllowedPermission('media', `${CORE}/#/gate/lane-1`, CORE, ['video'])).toBe(true);
    expect(isAllowedPermission('media', `${CORE}/`, CORE, ['video', 'audio'])).toBe(false);
    expect(isAllowedPermission('media', 'https://evil.example/', CORE, ['video'])).toBe(false);
    for (const p of [
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'hid',
      'serial',
      'usb',
      'display-capture',
    ]) {
      expect(isAllowedPermission(p, `${CORE}/`, CORE)).toBe(false);
    }
  });
});

describe('kiosk Content-Security-Policy', () => {
  it('allows scripts and connections from the core only, no eval, no framing', () => {
    const csp = contentSecurityPolicy(CORE);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:8686");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/\*/);
    expect(contentSecurityPolicy('https://10.0.0.5:8443')).toContain(
      "connect-src 'self' wss://10.0.0.5:8443",
    );
  });
});

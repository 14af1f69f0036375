// The live event stream (`/api/events` WebSocket) and the kiosk credential that opens it.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parse } from './request-guard.js';
import type { Sessions } from './sessions.js';
import type { CoreServices } from '../services.js';
import type { Reply } from '../../shared/api/contract.js';

export function registerEventsRoutes(app: FastifyInstance, s: CoreServices, sessions: Sessions): void {
  // The kiosk credential of a lane display (docs/decisions/0007-kiosk-sessions-and-web-security.md): issued
  // without a PIN, to this machine only and to the core's own page only (the Origin and Host
  // checks refuse any other web page); it opens the live event stream and nothing else.
  app.post('/api/kiosk/session', { config: { access: 'local' } }, async (req): Promise<Reply<'POST /api/kiosk/session'>> => {
    parse(z.strictObject({}), req.body);
    const { token, session } = sessions.createKiosk();
    return { token, expiresAt: session.expiresAt };
  });

  // A session is required (a user's, or this machine's kiosk session); it travels in the
  // `sitegate.auth.<token>` subprotocol. The stream ends when the session does (sign-out, a new
  // PIN for the role, expiry).
  app.get('/api/events', { websocket: true }, (socket, req) => {
    const token = req.sessionToken;
    if (!token || (!req.role && !req.kiosk)) {
      socket.close(4401, 'auth.required');
      return;
    }
    const end = (why: string): void => {
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(4401, why);
    };
    const unwatch = sessions.watch(token, end);
    const unsubscribe = s.events.subscribe((e) => {
      if (socket.readyState !== socket.OPEN) return;
      const alive = sessions.get(token);
      if (alive === null) return end('auth.revoked');
      if (alive === 'expired') return end('auth.expired');
      socket.send(JSON.stringify(e));
    });
    const stop = (): void => {
      unsubscribe();
      unwatch();
    };
    socket.on('close', stop);
    socket.on('error', stop);
  });
}

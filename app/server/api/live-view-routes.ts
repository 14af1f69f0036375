// Live video of the lanes the core has cameras for:
//  - WebSocket /api/lanes/:laneId/live.mp4 — the camera's own H.264/H.265 passed through as
//    fragmented MP4 for Media Source Extensions (no re-encoding). First a text message
//    {type:'init', codec, mime}, then the init segment and the fragments as binary messages; a
//    new 'init' starts a new stream (camera reconnected). Lanes without a network camera close
//    with 4404 at once, so the browser falls back to MJPEG.
//  - MJPEG (multipart/x-mixed-replace) and a still frame: the fallback for browsers that
//    cannot decode the camera's codec and for cameras without H.264/H.265.
// On this machine without a login (the kiosk; another site's page is refused by the Origin,
// Sec-Fetch-Site and Cross-Origin-Resource-Policy checks, see request-guard.ts); from the LAN only
// over TLS with a supervisor's session — a bearer header, or on the WebSocket the
// `sitegate.auth.<token>` subprotocol; tokens are never read from the URL. A stream opened with
// a session ends (4401) when the session does.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { roleAllows } from '../../../edge-core/src/index.js';
import type { LiveView } from '../live-view.js';
import type { LivePassthrough } from '../live-passthrough.js';
import { ApiError } from './errors.js';
import { isLoopback, parse, requireRole } from './request-guard.js';
import type { Sessions } from './sessions.js';

const BOUNDARY = 'sitegateframe';
const laneParams = z.strictObject({ laneId: z.string().regex(/^[a-z0-9-]{1,32}$/) });
/** Bytes a pass-through viewer may have queued before it skips to the next keyframe. */
const CONGESTED_BYTES = 4 * 1024 * 1024;

export function registerLiveViewRoutes(app: FastifyInstance, live: LiveView, passthrough: LivePassthrough | undefined, sessions: Sessions): void {
  const feedOf = (req: FastifyRequest) => {
    if (!isLoopback(req)) requireRole(req, 'supervisor');
    const { laneId } = parse(laneParams, req.params);
    const feed = live.feed(laneId);
    if (!feed) throw new ApiError(404, 'request.not_found');
    return feed;
  };

  app.get('/api/lanes/:laneId/still.jpg', async (req, reply) => {
    const feed = feedOf(req);
    const still = await feed.still();
    if (!still) throw new ApiError(503, 'camera.no_picture');
    reply.header('cache-control', 'no-store');
    return reply.type('image/jpeg').send(still.jpeg);
  });

  app.get('/api/lanes/:laneId/live.mjpeg', async (req, reply) => {
    const feed = feedOf(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'close',
    });
    const stop = feed.watch((j) => {
      // A viewer that cannot keep up misses frames instead of buffering them.
      if (res.writableLength > 2 * 1024 * 1024) return;
      res.write(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${j.jpeg.length}\r\n\r\n`);
      res.write(j.jpeg);
      res.write('\r\n');
    }, () => res.end());
    res.on('close', stop);
  });

  app.get('/api/lanes/:laneId/live.mp4', { websocket: true }, (socket: WebSocket, req) => {
    if (!isLoopback(req) && !(req.role && roleAllows(req.role, 'supervisor'))) {
      socket.close(req.role ? 4403 : 4401, req.role ? 'auth.forbidden' : 'auth.required');
      return;
    }
    const params = laneParams.safeParse(req.params);
    const lane = params.success ? passthrough?.lane(params.data.laneId) : undefined;
    if (!lane) {
      socket.close(4404, 'passthrough.unavailable');
      return;
    }
    const token = req.sessionToken;
    let sent = 0;
    const stop = lane.watch({
      init(codec, initSegment) {
        if (socket.readyState !== socket.OPEN) return;
        socket.send(JSON.stringify({ type: 'init', codec, mime: `video/mp4; codecs="${codec}"` }));
        socket.send(initSegment);
      },
      fragment(bytes) {
        if (socket.readyState !== socket.OPEN) return true;
        if (socket.bufferedAmount > CONGESTED_BYTES) return false;
        // An expired session is found by looking (every ~50 fragments, a few seconds).
        if (token && ++sent % 50 === 0) {
          const alive = sessions.get(token);
          if (alive === null || alive === 'expired') {
            socket.close(4401, alive === 'expired' ? 'auth.expired' : 'auth.revoked');
            return true;
          }
        }
        socket.send(bytes);
        return true;
      },
      end() {
        socket.close(1001, 'core.stopping');
      },
    });
    // Session-bound: a stream opened with a session ends with it (sign-out, a new PIN, expiry).
    const unwatch = token
      ? sessions.watch(token, (why) => {
          if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(4401, why);
        })
      : () => undefined;
    const done = (): void => {
      unwatch();
      stop();
    };
    socket.on('close', done);
    socket.on('error', done);
  });
}

// Live video of the lanes the core has cameras for: MJPEG for <img> (gate screen, dashboard)
// and a still frame. On this machine without a login (the kiosk; another site's page is refused
// by Sec-Fetch-Site and Cross-Origin-Resource-Policy, see request-guard.ts), from the LAN only
// over TLS with a supervisor's bearer session (tokens are never read from the URL).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { LiveView } from '../live-view.js';
import { ApiError } from './errors.js';
import { isLoopback, parse, requireRole } from './server.js';

const BOUNDARY = 'sitegateframe';

export function registerLiveViewRoutes(app: FastifyInstance, live: LiveView): void {
  const feedOf = (req: FastifyRequest) => {
    if (!isLoopback(req)) requireRole(req, 'supervisor');
    const { laneId } = parse(z.strictObject({ laneId: z.string().regex(/^[a-z0-9-]{1,32}$/) }), req.params);
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
}

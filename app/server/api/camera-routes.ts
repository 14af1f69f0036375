// Settings: the cameras this PC can open (V4L2 on Linux, DirectShow on Windows) and the camera
// each lane is configured with, for an admin choosing a lane's camera. The configuration is a
// file (config.yaml): the screen shows the line to write; it does not change the file.
import type { FastifyInstance } from 'fastify';
import { listCameras, type CameraDevice } from '../../../drivers/src/index.js';
import type { CoreServices } from '../services.js';
import { requireRole } from './request-guard.js';
import type { Reply } from '../../shared/api/contract.js';

/** An RTSP/HTTP address with its password hidden. */
export function maskCredentials(input: string): string {
  return input.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+:)[^@/]*@/i, '$1***@');
}

export function registerCameraRoutes(app: FastifyInstance, s: CoreServices, list: () => Promise<CameraDevice[]> = () => listCameras()): void {
  app.get('/api/admin/cameras', async (req): Promise<Reply<'GET /api/admin/cameras'>> => {
    requireRole(req, 'admin');
    const found = await list().catch(() => [] as CameraDevice[]);
    const lanes = s.config.lanes.map((l) => {
      const c = l.camera;
      const camera =
        c.type === 'ffmpeg'
          ? { type: 'ffmpeg' as const, input: maskCredentials(c.input), ...(c.format ? { format: c.format } : {}) }
          : c.type === 'file'
            ? { type: 'file' as const, input: c.path }
            : { type: 'browser' as const };
      return { laneId: l.id, name: l.name, camera };
    });
    return { found, lanes, configFile: 'config.yaml' };
  });
}

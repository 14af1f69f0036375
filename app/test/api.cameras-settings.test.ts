// Settings → cameras: GET /api/admin/cameras lists the cameras this PC can open (the real
// listing: V4L2 nodes here, none on a CI machine without a camera) and each lane's configured
// camera with an RTSP password hidden; admins only. The UI's config line for a choice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskCredentials } from '../server/api/camera-routes.js';
import { cameraYaml } from '../ui/src/lib/camera-config.js';
import { api, login, startTestCore, type TestCore } from './helpers.js';

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore({
    lanes: [
      // An address nothing answers on: the camera stays offline, the listing still names it.
      { id: 'lane-1', name: '1号通道 进', direction: 'in', camera: { type: 'ffmpeg', input: 'rtsp://admin:s3cret@127.0.0.1:9/Streaming/Channels/101', restartMs: 60_000 } },
      { id: 'lane-2', name: '2号通道 出', direction: 'out', camera: { type: 'browser' } },
    ],
  });
});
afterAll(async () => core?.stop());

describe('camera settings', () => {
  it('lists the cameras found and each lane’s camera, password hidden, for an admin only', async () => {
    expect((await api(core, 'GET', '/api/admin/cameras')).status).toBe(401);
    expect((await api(core, 'GET', '/api/admin/cameras', undefined, await login(core, 'supervisor'))).status).toBe(403);
    const r = await api(core, 'GET', '/api/admin/cameras', undefined, await login(core, 'admin'));
    expect(r.status).toBe(200);
    expect(Array.isArray(r.json.found)).toBe(true);
    for (const c of r.json.found) expect(c).toMatchObject({ input: expect.any(String), format: expect.stringMatching(/^(v4l2|dshow)$/), name: expect.any(String) });
    expect(r.json.lanes).toEqual([
      { laneId: 'lane-1', name: '1号通道 进', camera: { type: 'ffmpeg', input: 'rtsp://admin:***@127.0.0.1:9/Streaming/Channels/101' } },
      { laneId: 'lane-2', name: '2号通道 出', camera: { type: 'browser' } },
    ]);
    expect(JSON.stringify(r.json)).not.toContain('s3cret');
  });

  it('hides passwords in addresses and writes the config line for a choice', () => {
    expect(maskCredentials('rtsp://u:p@h/x')).toBe('rtsp://u:***@h/x');
    expect(maskCredentials('rtsp://h/x')).toBe('rtsp://h/x');
    expect(maskCredentials('/dev/video0')).toBe('/dev/video0');
    expect(cameraYaml({ kind: 'device', camera: { input: '/dev/video0', format: 'v4l2', name: 'USB Camera' } })).toBe('camera: { type: ffmpeg, input: "/dev/video0", format: v4l2 }');
    expect(cameraYaml({ kind: 'device', camera: { input: 'video=USB "HD" Camera', format: 'dshow', name: 'x' } })).toBe('camera: { type: ffmpeg, input: "video=USB \\"HD\\" Camera", format: dshow }');
    expect(cameraYaml({ kind: 'rtsp', url: ' rtsp://a:b@192.168.1.64/ch1 ' })).toBe('camera: { type: ffmpeg, input: "rtsp://a:b@192.168.1.64/ch1" }');
    expect(cameraYaml({ kind: 'rtsp', url: 'http://x' })).toBeNull();
    expect(cameraYaml({ kind: 'browser' })).toBe('camera: { type: browser }');
  });
});

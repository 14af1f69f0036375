// The fake camera's video for Chromium (--use-file-for-fake-video-capture): a .y4m made by
// ffmpeg at test time from a still portrait.
//
// Video data: edge-core/test/face/fixtures/astronaut.jpg — scikit-image's `astronaut.png`
// (NASA portrait of Eileen Collins, public domain per scikit-image's data README), taken
// from Debian's python3-skimage package; see edge-core/test/face/fixtures/README.md. It is
// padded to 640×480 and looped for 2 s at 10 fps with a slow zoom so frames differ.
// `testsrc` (ffmpeg's synthetic pattern) is used when the portrait is absent.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../server/core.js';

export const PORTRAIT = join(REPO_ROOT, 'edge-core', 'test', 'face', 'fixtures', 'astronaut.jpg');

export function makeFakeCameraY4m(dir: string): { file: string; source: string } {
  const file = join(dir, 'fake-camera.y4m');
  const fromPortrait = existsSync(PORTRAIT);
  const input = fromPortrait
    ? [
        '-loop',
        '1',
        '-framerate',
        '10',
        '-i',
        PORTRAIT,
        '-vf',
        "scale=480:480,zoompan=z='1+0.002*on':d=1:s=480x480:fps=10,pad=640:480:80:0:color=0x556070,format=yuv420p",
      ]
    : ['-f', 'lavfi', '-i', 'testsrc=size=640x480:rate=10', '-vf', 'format=yuv420p'];
  const r = spawnSync(
    'ffmpeg',
    ['-y', '-loglevel', 'error', ...input, '-t', '2', '-f', 'yuv4mpegpipe', file],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  return {
    file,
    source: fromPortrait ? 'astronaut.jpg (NASA, public domain, via scikit-image)' : 'ffmpeg testsrc',
  };
}

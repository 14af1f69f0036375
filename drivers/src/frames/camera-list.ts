// Cameras this PC can open, for the settings screen. Linux: /dev/video* nodes named from
// `v4l2-ctl --list-devices` when v4l-utils is installed, else from sysfs; only nodes that
// capture video are listed. Windows: DirectShow devices from `ffmpeg -list_devices true -f
// dshow -i dummy`. The parsers are pure and tested with recorded outputs.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

export interface CameraDevice {
  /** What goes into `camera.input`. */
  input: string;
  /** ffmpeg input format for it (`camera.format`). */
  format: 'v4l2' | 'dshow';
  name: string;
}

function run(cmd: string, args: string[], timeoutMs = 5000): Promise<{ stdout: string; stderr: string; failed: boolean }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, windowsHide: true }, (err, stdout, stderr) => resolve({ stdout: String(stdout), stderr: String(stderr), failed: err !== null && (err as { code?: unknown }).code === 'ENOENT' }));
  });
}

/**
 * `v4l2-ctl --list-devices`: a name line ("USB Camera: USB Camera (usb-0000:00:14.0-1):")
 * followed by tab-indented device nodes. Returns node → name.
 */
export function parseV4l2ListDevices(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name = '';
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    if (/^\s/.test(line)) {
      const node = line.trim();
      if (node.startsWith('/dev/video') && name) out.set(node, name);
    } else {
      name = line.replace(/\s*\([^)]*\):?\s*$/, '').replace(/:$/, '').trim();
    }
  }
  return out;
}

/**
 * `ffmpeg -list_devices true -f dshow -i dummy` (stderr). Newer ffmpeg prints
 * `[dshow @ …] "Name" (video)`; older prints a "DirectShow video devices" section.
 */
export function parseDshowDevices(text: string): CameraDevice[] {
  const out: CameraDevice[] = [];
  let section: 'video' | 'audio' | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (/DirectShow video devices/i.test(line)) section = 'video';
    else if (/DirectShow audio devices/i.test(line)) section = 'audio';
    if (/Alternative name/i.test(line)) continue;
    const m = /"([^"]+)"\s*(\((video|audio|none)\))?/.exec(line);
    if (!m) continue;
    const kind = m[3] ?? section;
    if (kind !== 'video') continue;
    const name = m[1] as string;
    out.push({ input: `video=${name}`, format: 'dshow', name });
  }
  return out;
}

export async function listCameras(platform: NodeJS.Platform = process.platform, ffmpeg = 'ffmpeg'): Promise<CameraDevice[]> {
  if (platform === 'win32') {
    const r = await run(ffmpeg, ['-hide_banner', '-list_devices', 'true', '-f', 'dshow', '-i', 'dummy']);
    return parseDshowDevices(r.stderr);
  }
  if (platform !== 'linux') return [];
  const nodes = (await readdir('/dev').catch(() => [] as string[])).filter((f) => /^video\d+$/.test(f)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  if (nodes.length === 0) return [];
  const v4l2 = await run('v4l2-ctl', ['--list-devices']);
  const names = v4l2.failed ? new Map<string, string>() : parseV4l2ListDevices(v4l2.stdout);
  const out: CameraDevice[] = [];
  for (const n of nodes) {
    const node = `/dev/${n}`;
    // A UVC camera has a second node for metadata: capture nodes only.
    if (!v4l2.failed) {
      const caps = await run('v4l2-ctl', ['--device', node, '--all']);
      if (caps.stdout && !/Video Capture/.test(caps.stdout)) continue;
    }
    const sysName = (await readFile(`/sys/class/video4linux/${n}/name`, 'utf8').catch(() => '')).trim();
    out.push({ input: node, format: 'v4l2', name: names.get(node) ?? (sysName || node) });
  }
  return out;
}

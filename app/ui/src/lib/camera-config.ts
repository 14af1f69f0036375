// The configuration line for a lane's camera chosen in Settings (the configuration is a file:
// the admin writes the line into config.yaml and restarts). Pure.

export interface FoundCamera {
  input: string;
  format: 'v4l2' | 'dshow';
  name: string;
}

export type CameraChoice = { kind: 'device'; camera: FoundCamera } | { kind: 'rtsp'; url: string } | { kind: 'browser' };

/** A YAML-safe double-quoted string. */
function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `camera: { … }` for the lane's entry under `lanes:`, or null when the choice is incomplete. */
export function cameraYaml(choice: CameraChoice): string | null {
  if (choice.kind === 'browser') return 'camera: { type: browser }';
  if (choice.kind === 'device') return `camera: { type: ffmpeg, input: ${quote(choice.camera.input)}, format: ${choice.camera.format} }`;
  const url = choice.url.trim();
  if (!/^rtsps?:\/\/[^\s]+$/i.test(url)) return null;
  return `camera: { type: ffmpeg, input: ${quote(url)} }`;
}

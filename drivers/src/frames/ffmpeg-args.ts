// The ffmpeg command line of a camera, as a pure function of its configuration.
//  input: '/dev/video0' (V4L2), 'rtsp://…' (IP camera, H.264/H.265), 'http://…' (MJPEG over
//  HTTP), 'video=Name' with format 'dshow' (Windows), or a file path.
//  output: 'rgb' — binary PPM frames (RGB with the size in each header: no decoding in the core)
//          'jpeg' — MJPEG (for viewing and for consumers that want JPEG).

export interface FfmpegInputConfig {
  input: string;
  /** ffmpeg input format (-f), e.g. 'v4l2', 'dshow', 'mpjpeg'; guessed from the input when absent. */
  format?: string;
  /** Frames per second delivered (the fps filter). Default: every frame the camera sends. */
  fps?: number;
  /** Output width; the height keeps the aspect ratio. Default: unchanged. */
  width?: number;
  output?: 'rgb' | 'jpeg';
  /** JPEG quality 2 (best) … 31. Default 5. */
  quality?: number;
  /** Read files at their native rate (-re). Default true for files. */
  realtime?: boolean;
  /** Loop a file input. Default false. */
  loop?: boolean;
  /** RTSP transport. Default tcp (no lost packets, works through NAT and firewalls). */
  rtspTransport?: 'tcp' | 'udp';
  /** Socket I/O timeout for network inputs (ms): a stream that stops makes ffmpeg exit. Default 5000. */
  ioTimeoutMs?: number;
  /** Extra input options placed before -i (e.g. ['-video_size', '1280x720'] for a V4L2 mode). */
  inputArgs?: string[];
}

export type InputKind = 'rtsp' | 'http' | 'v4l2' | 'dshow' | 'lavfi' | 'file';

export function inputKind(c: Pick<FfmpegInputConfig, 'input' | 'format'>): InputKind {
  if (/^rtsps?:\/\//i.test(c.input)) return 'rtsp';
  if (/^https?:\/\//i.test(c.input)) return 'http';
  if (c.format === 'dshow') return 'dshow';
  if (c.format === 'lavfi') return 'lavfi';
  if (c.format === 'v4l2' || c.input.startsWith('/dev/video')) return 'v4l2';
  return 'file';
}

export function ffmpegArgs(c: FfmpegInputConfig): string[] {
  const kind = inputKind(c);
  const live = kind !== 'file';
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  // Low delay: no input buffering, short probing (the SDP or the device names the codec).
  if (live) args.push('-fflags', 'nobuffer', '-flags', 'low_delay', '-analyzeduration', '1000000', '-probesize', '1000000');
  const timeoutUs = String((c.ioTimeoutMs ?? 5000) * 1000);
  if (kind === 'rtsp') args.push('-rtsp_transport', c.rtspTransport ?? 'tcp', '-timeout', timeoutUs);
  if (kind === 'http') args.push('-timeout', timeoutUs);
  if (c.format) args.push('-f', c.format);
  else if (kind === 'v4l2') args.push('-f', 'v4l2');
  if (kind === 'file' && (c.realtime ?? true)) args.push('-re');
  if (kind === 'file' && c.loop) args.push('-stream_loop', '-1');
  if (c.inputArgs) args.push(...c.inputArgs);
  args.push('-i', c.input, '-an', '-sn', '-dn');
  const filters: string[] = [];
  if (c.fps) filters.push(`fps=${c.fps}`);
  if (c.width) filters.push(`scale=${c.width}:-2`);
  if (filters.length) args.push('-vf', filters.join(','));
  if ((c.output ?? 'jpeg') === 'rgb') args.push('-pix_fmt', 'rgb24', '-c:v', 'ppm', '-f', 'image2pipe');
  else args.push('-c:v', 'mjpeg', '-q:v', String(c.quality ?? 5), '-f', 'mjpeg');
  // Flush every frame at once (no muxer interleaving delay).
  args.push('-flush_packets', '1', 'pipe:1');
  return args;
}

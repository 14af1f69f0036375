// An IP camera on loopback for the tests, the benchmarks and the demo: ffmpeg encodes a source
// (lavfi test pattern, a looped clip, or frames written to its stdin) to H.264 or H.265 RTP,
// and this module serves it over RTSP (RFC 2326: OPTIONS, DESCRIBE, SETUP with RTP interleaved
// on the TCP connection, PLAY, TEARDOWN, optional Basic authentication), the way a camera's own
// RTSP server does. Every client gets the live packets from the moment it plays (no backlog).
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

export interface RtspCameraSimOptions {
  /** ffmpeg input arguments, e.g. ['-re', '-f', 'lavfi', '-i', 'testsrc=size=640x480:rate=15']. */
  source: string[];
  codec?: 'h264' | 'h265';
  /** Keyframe interval in frames (a new viewer waits for the next one). Default 15. */
  gop?: number;
  /** Path of the stream. Default '/live'. */
  path?: string;
  /** TCP port (0: any free port). */
  port?: number;
  /** Require Basic authentication with these credentials. */
  credentials?: { user: string; password: string };
  /** The source reads frames from stdin ('-i pipe:0'): `input` is then writable. */
  stdinSource?: boolean;
}

interface Client {
  socket: Socket;
  playing: boolean;
  channel: number;
}

export class RtspCameraSimulator {
  private server: Server | null = null;
  private encoder: ChildProcess | null = null;
  private rtp: UdpSocket | null = null;
  private rtcp: UdpSocket | null = null;
  private readonly clients = new Set<Client>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'sitegate-rtsp-'));
  private sdp = '';
  private sessionSeq = 0;
  port = 0;
  /** RTP packets forwarded to at least one client (for tests). */
  packetsSent = 0;
  /** Connections accepted since start (a reconnecting client counts again). */
  connections = 0;

  constructor(private readonly options: RtspCameraSimOptions) {}

  get url(): string {
    const c = this.options.credentials;
    const auth = c ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@` : '';
    return `rtsp://${auth}127.0.0.1:${this.port}${this.options.path ?? '/live'}`;
  }

  /** The encoder's stdin when `stdinSource` is set. */
  get input(): Writable | null {
    return this.encoder?.stdin ?? null;
  }

  get running(): boolean {
    return this.server !== null;
  }

  async start(): Promise<void> {
    await this.startEncoder();
    await this.listen(this.options.port ?? this.port);
  }

  /** Closes the RTSP server and drops every client (a camera that goes away); the encoder keeps running. */
  async unplug(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const c of this.clients) c.socket.destroy();
    this.clients.clear();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /** Listens again on the same port. */
  async replug(): Promise<void> {
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.unplug();
    const e = this.encoder;
    this.encoder = null;
    if (e && e.exitCode === null && e.signalCode === null) {
      const exited = new Promise<void>((r) => e.once('exit', () => r()));
      e.kill('SIGKILL');
      await exited;
    }
    this.rtp?.close();
    this.rtcp?.close();
    this.rtp = this.rtcp = null;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startEncoder(): Promise<void> {
    const bind = (): Promise<UdpSocket> =>
      new Promise((resolve, reject) => {
        const s = createSocket('udp4');
        s.once('error', reject);
        s.bind(0, '127.0.0.1', () => resolve(s));
      });
    this.rtp = await bind();
    this.rtcp = await bind();
    this.rtp.on('message', (packet) => this.forward(packet));
    const sdpFile = join(this.dir, 'stream.sdp');
    const codec = this.options.codec ?? 'h264';
    const gop = String(this.options.gop ?? 15);
    const enc =
      codec === 'h264'
        ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline']
        : ['-c:v', 'libx265', '-preset', 'ultrafast', '-tune', 'zerolatency', '-x265-params', 'log-level=none'];
    const args = [
      '-hide_banner', '-loglevel', 'error', ...(this.options.stdinSource ? [] : ['-nostdin']),
      ...this.options.source,
      '-an', ...enc, '-g', gop, '-keyint_min', gop, '-bf', '0', '-pix_fmt', 'yuv420p',
      '-f', 'rtp', '-payload_type', '96', '-sdp_file', sdpFile,
      `rtp://127.0.0.1:${this.rtp.address().port}?rtcpport=${this.rtcp.address().port}&pkt_size=1200`,
    ];
    const child = spawn('ffmpeg', args, { stdio: [this.options.stdinSource ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    this.encoder = child;
    child.stdin?.on('error', () => undefined); // the bench may write after a stop
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    // The SDP file is written once the output header is; wait for it (or for a failure).
    const deadline = Date.now() + 15_000;
    while (!existsSync(sdpFile) || readFileSync(sdpFile, 'utf8').indexOf('m=video') < 0) {
      if (child.exitCode !== null) throw new Error(`camera simulator encoder exited: ${err.trim()}`);
      if (Date.now() > deadline) throw new Error('camera simulator encoder wrote no SDP within 15 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    const raw = readFileSync(sdpFile, 'utf8');
    // Served as a camera describes itself: any address, a control URL per track.
    this.sdp = raw
      .split(/\r?\n/)
      .filter((l) => l.length > 0 && !l.startsWith('a=tool'))
      .map((l) => (l.startsWith('c=') ? 'c=IN IP4 0.0.0.0' : l.startsWith('m=video') ? 'm=video 0 RTP/AVP 96' : l))
      .concat(['a=control:trackID=0'])
      .join('\r\n')
      .concat('\r\n');
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.accept(socket));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.server = server;
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private forward(packet: Buffer): void {
    let sent = false;
    for (const c of this.clients) {
      if (!c.playing || c.socket.destroyed) continue;
      // A client that does not read is dropped rather than buffered without end (a camera does the same).
      if (c.socket.writableLength > 4 * 1024 * 1024) {
        c.socket.destroy();
        continue;
      }
      const head = Buffer.from([0x24, c.channel, (packet.length >> 8) & 0xff, packet.length & 0xff]);
      c.socket.write(Buffer.concat([head, packet]));
      sent = true;
    }
    if (sent) this.packetsSent++;
  }

  private accept(socket: Socket): void {
    this.connections++;
    const client: Client = { socket, playing: false, channel: 0 };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => undefined);
    let buf = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      for (;;) {
        // Interleaved RTCP from the client ($ channel len payload) is read and ignored.
        if (buf.charCodeAt(0) === 0x24) {
          if (buf.length < 4) return;
          const len = (buf.charCodeAt(2) << 8) | buf.charCodeAt(3);
          if (buf.length < 4 + len) return;
          buf = buf.slice(4 + len);
          continue;
        }
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buf.length > 16_384) socket.destroy();
          return;
        }
        const head = buf.slice(0, end);
        const lenMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        const bodyLen = lenMatch ? Number(lenMatch[1]) : 0;
        if (buf.length < end + 4 + bodyLen) return;
        buf = buf.slice(end + 4 + bodyLen);
        this.handle(client, head);
      }
    });
  }

  private handle(client: Client, head: string): void {
    const lines = head.split('\r\n');
    const [method = '', url = ''] = (lines[0] ?? '').split(' ');
    const header = (name: string): string | undefined => {
      const l = lines.find((x) => x.toLowerCase().startsWith(`${name.toLowerCase()}:`));
      return l?.slice(name.length + 1).trim();
    };
    const cseq = header('CSeq') ?? '0';
    const reply = (status: string, extra: string[] = [], body = ''): void => {
      const h = [`RTSP/1.0 ${status}`, `CSeq: ${cseq}`, 'Server: SiteGate camera simulator', ...extra];
      if (body) h.push(`Content-Length: ${Buffer.byteLength(body)}`);
      client.socket.write(`${h.join('\r\n')}\r\n\r\n${body}`);
    };
    const path = this.options.path ?? '/live';
    const creds = this.options.credentials;
    if (creds && method !== 'OPTIONS') {
      const expected = `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`;
      if (header('Authorization') !== expected) {
        reply('401 Unauthorized', ['WWW-Authenticate: Basic realm="camera"']);
        return;
      }
    }
    let pathOf = '';
    try {
      pathOf = new URL(url).pathname;
    } catch {
      pathOf = '';
    }
    if (method !== 'OPTIONS' && !pathOf.startsWith(path)) {
      reply('404 Not Found');
      return;
    }
    switch (method) {
      case 'OPTIONS':
        reply('200 OK', ['Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER']);
        return;
      case 'DESCRIBE':
        reply('200 OK', ['Content-Type: application/sdp', `Content-Base: ${url.replace(/\/?$/, '/')}`], this.sdp);
        return;
      case 'SETUP': {
        const transport = header('Transport') ?? '';
        const m = /interleaved=(\d+)/.exec(transport);
        if (!/RTP\/AVP\/TCP/i.test(transport) || !m) {
          reply('461 Unsupported Transport');
          return;
        }
        client.channel = Number(m[1]);
        reply('200 OK', [`Transport: RTP/AVP/TCP;unicast;interleaved=${client.channel}-${client.channel + 1}`, `Session: ${++this.sessionSeq};timeout=60`]);
        return;
      }
      case 'PLAY':
        reply('200 OK', [`Session: ${header('Session')?.split(';')[0] ?? this.sessionSeq}`, 'Range: npt=0.000-']);
        client.playing = true;
        return;
      case 'GET_PARAMETER':
        reply('200 OK');
        return;
      case 'TEARDOWN':
        reply('200 OK');
        client.playing = false;
        client.socket.end();
        return;
      default:
        reply('405 Method Not Allowed');
    }
  }
}

// The UI's file download (app/ui/src/api/http.ts downloadFile, used by the monthly attendance
// sheet export) against a real HTTP server on 127.0.0.1: bearer token sent, the body followed
// chunk by chunk for the progress bar, the name taken from Content-Disposition, the core's
// error body turned into a bilingual ApiCallError, and a dead port into 'network.unreachable'.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import {
  ApiCallError,
  configureHttp,
  downloadFile,
  filenameFromDisposition,
  type DownloadProgress,
} from '../../ui/src/api/http.js';

let server: Server;
let base: string;
const seenAuth: Array<string | undefined> = [];
const CHUNK = Buffer.alloc(64 * 1024, 0x41);

beforeAll(async () => {
  server = createServer((req, res) => {
    seenAuth.push(req.headers.authorization);
    if (req.url?.startsWith('/sheet')) {
      res.writeHead(200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-length': String(CHUNK.length * 4),
        'content-disposition': 'attachment; filename="attendance-2026-11-team.xlsx"',
      });
      // Four separate writes, so the client sees the body arrive in parts.
      let n = 0;
      const next = () => {
        if (n++ === 4) return res.end();
        res.write(CHUNK, () => setTimeout(next, 5));
      };
      next();
      return;
    }
    if (req.url?.startsWith('/nameless')) {
      res.writeHead(200, { 'content-type': 'text/csv' });
      return res.end('a,b\n');
    }
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: {
          code: 'request.invalid',
          message: { zh: '请求参数有误', en: 'Invalid request' },
          details: [],
        },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  configureHttp({ token: () => 'token-abc', onAuthFailure: () => {} });
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('sheet download with progress', () => {
  it('sends the bearer token, reports growing progress up to the total and names the file from the header', async () => {
    const seen: DownloadProgress[] = [];
    const f = await downloadFile(`${base}/sheet`, {
      query: { month: '2026-11', groupBy: 'team' },
      fallbackName: 'fallback.xlsx',
      onProgress: (p) => seen.push({ ...p }),
    });
    expect(seenAuth.at(-1)).toBe('Bearer token-abc');
    expect(f.filename).toBe('attendance-2026-11-team.xlsx');
    expect(f.blob.size).toBe(CHUNK.length * 4);
    expect(f.blob.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(seen[0]).toEqual({ received: 0, total: CHUNK.length * 4 });
    expect(seen.at(-1)).toEqual({ received: CHUNK.length * 4, total: CHUNK.length * 4 });
    expect(seen.length).toBeGreaterThan(2);
    for (let i = 1; i < seen.length; i++)
      expect((seen[i] as DownloadProgress).received).toBeGreaterThanOrEqual(
        (seen[i - 1] as DownloadProgress).received,
      );
  });

  it('falls back to the given name without Content-Disposition', async () => {
    const f = await downloadFile(`${base}/nameless`, { fallbackName: 'attendance-2026-11-team.csv' });
    expect(f.filename).toBe('attendance-2026-11-team.csv');
    expect(await f.blob.text()).toBe('a,b\n');
  });

  it("turns the core's error body into a bilingual ApiCallError", async () => {
    const err = await downloadFile(`${base}/bad`, { fallbackName: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect((err as ApiCallError).status).toBe(400);
    expect((err as ApiCallError).code).toBe('request.invalid');
    expect((err as ApiCallError).text.zh).toBe('请求参数有误');
  });

  it("says 'network.unreachable' when nothing listens", async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const err = await downloadFile(`http://127.0.0.1:${port}/sheet`, { fallbackName: 'x' }).catch(
      (e: unknown) => e,
    );
    expect((err as ApiCallError).code).toBe('network.unreachable');
    expect((err as ApiCallError).text.zh).toContain('无法连接核心服务');
  });
});

describe('Content-Disposition file names', () => {
  it.each([
    ['attachment; filename="attendance-2026-11-team.xlsx"', 'attendance-2026-11-team.xlsx'],
    ['attachment; filename=attendance.csv', 'attendance.csv'],
    ['attachment; filename="a.csv"; filename*=UTF-8\'\'%E8%80%83%E5%8B%A4%E8%A1%A8.xlsx', '考勤表.xlsx'],
    ['attachment; filename="..\\\\..\\\\evil.xlsx"', 'evil.xlsx'],
    ['attachment; filename="../../evil.xlsx"', 'evil.xlsx'],
    ['attachment', null],
    ['attachment; filename=".."', null],
  ] as const)('%s → %s', (header, name) => {
    expect(filenameFromDisposition(header)).toBe(name);
  });

  it('has no name without a header', () => {
    expect(filenameFromDisposition(null)).toBeNull();
  });
});

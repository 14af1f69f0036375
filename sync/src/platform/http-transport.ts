// HTTP(S) transport: one form POST, no redirects followed, a hard deadline, a size cap, and
// every socket-level failure mapped to a typed PlatformError.
import http from 'node:http';
import https from 'node:https';
import { PlatformError } from './errors.js';
import type { RawReply } from './envelope.js';

export interface TransportOptions {
  timeoutMs: number;
  maxReplyBytes: number;
  ca?: string | Buffer | undefined;
}

export interface Transport {
  post(url: URL, form: string): Promise<RawReply>;
  close(): void;
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'EPROTO',
]);

/** Maps a Node socket/TLS error to a PlatformError. `sent`: the request body was flushed. */
export function mapSocketError(err: unknown, sent: boolean): PlatformError {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const detail = `${code || 'error'}: ${e?.message ?? String(err)}`;
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return new PlatformError('tls', { delivery: 'not_sent', retry: 'blocked', detail, cause: err });
  }
  if (code === 'ECONNREFUSED') return new PlatformError('connection_refused', { delivery: 'not_sent', retry: 'backoff', detail, cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'ENETDOWN') {
    return new PlatformError('network', { delivery: 'not_sent', retry: 'backoff', detail, cause: err });
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(e?.message ?? '')) {
    return new PlatformError('connection_reset', { delivery: sent ? 'ambiguous' : 'not_sent', retry: 'backoff', detail, cause: err });
  }
  return new PlatformError('network', { delivery: sent ? 'ambiguous' : 'not_sent', retry: 'backoff', detail, cause: err });
}

export function createHttpTransport(o: TransportOptions): Transport {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16, ...(o.ca ? { ca: o.ca } : {}) });
  return {
    post(url, form) {
      return new Promise<RawReply>((resolve, reject) => {
        const isHttps = url.protocol === 'https:';
        const body = Buffer.from(form, 'utf8');
        let sent = false;
        let settled = false;
        const finish = (fn: () => void): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          fn();
        };
        const req = (isHttps ? https : http).request(
          url,
          {
            method: 'POST',
            agent: isHttps ? httpsAgent : httpAgent,
            headers: {
              'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
              'content-length': body.length,
              accept: 'application/json',
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > o.maxReplyBytes) {
                req.destroy();
                finish(() =>
                  reject(new PlatformError('malformed_json', { delivery: 'ambiguous', retry: 'backoff', detail: `reply larger than ${o.maxReplyBytes} bytes` })),
                );
                return;
              }
              chunks.push(c);
            });
            const done = (complete: boolean): void => {
              const buf = Buffer.concat(chunks);
              const declared = Number(res.headers['content-length']);
              const lengthOk = Number.isNaN(declared) || declared === buf.length;
              finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, complete: complete && lengthOk }));
            };
            res.on('end', () => done(res.complete));
            res.on('aborted', () => done(false));
            res.on('error', () => done(false));
            res.on('close', () => done(res.complete));
          },
        );
        const timer = setTimeout(() => {
          req.destroy();
          finish(() =>
            reject(new PlatformError('timeout', { delivery: sent ? 'ambiguous' : 'not_sent', retry: 'backoff', detail: `no answer within ${o.timeoutMs} ms` })),
          );
        }, o.timeoutMs);
        req.on('error', (err) => finish(() => reject(mapSocketError(err, sent))));
        req.end(body, () => {
          sent = true;
        });
      });
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

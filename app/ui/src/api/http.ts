// The one fetch wrapper of the UI: JSON in and out, the session's bearer token, and the
// core's error body `{error:{code,message:{zh,en},details}}` turned into an ApiCallError.
// Network failures (core restarting, cable out) become code 'network.unreachable'.
import type { ApiErrorBody } from '../../../shared/api-types.js';
import type { Bilingual } from '../../../shared/i18n/messages.js';

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Bilingual,
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'ApiCallError';
  }
}

export const UNREACHABLE: Bilingual = {
  zh: '无法连接核心服务，正在重试',
  en: 'Cannot reach the core service; retrying',
};

type TokenSource = () => string | null;
type AuthFailureListener = (code: 'auth.expired' | 'auth.required') => void;

let tokenSource: TokenSource = () => null;
let onAuthFailure: AuthFailureListener = () => {};

/** Wired once by the session provider. */
export function configureHttp(opts: { token: TokenSource; onAuthFailure: AuthFailureListener }): void {
  tokenSource = opts.token;
  onAuthFailure = opts.onAuthFailure;
}

export function currentToken(): string | null {
  return tokenSource();
}

/** The core ended the signed-in session outside a request (the live stream closed 4401). */
export function reportSessionEnded(): void {
  onAuthFailure('auth.required');
}

export interface RequestOptions {
  body?: unknown;
  /** A binary body (camera frames), sent as is with its own type. */
  raw?: Blob;
  query?: Record<string, string | number | undefined | null>;
  /** Send without the session token (login, health). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

export function buildPath(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (opts.raw) headers['content-type'] = opts.raw.type || 'application/octet-stream';
  else if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const token = opts.anonymous ? null : tokenSource();
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(buildPath(path, opts.query), {
      method,
      headers,
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiCallError(0, 'network.unreachable', UNREACHABLE);
  }
  const text = await res.text();
  const json = parseJson(text);
  if (!res.ok) throw errorOf(res.status, json, Boolean(token));
  return json as T;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** The core's error body as an ApiCallError; an expired session is reported to the session. */
function errorOf(status: number, json: unknown, sentToken: boolean): ApiCallError {
  const body = json as Partial<ApiErrorBody> | null;
  const code = body?.error?.code ?? `http.${status}`;
  const message = body?.error?.message ?? {
    zh: `请求失败（${status}）`,
    en: `Request failed (${status})`,
  };
  if (code === 'auth.expired' || (code === 'auth.required' && sentToken)) onAuthFailure(code);
  return new ApiCallError(status, code, message, body?.error?.details);
}

/** Bytes received so far and the total when the core sent a Content-Length. */
export interface DownloadProgress {
  received: number;
  total: number | null;
}

export interface DownloadedFile {
  blob: Blob;
  /** From Content-Disposition, else the fallback. */
  filename: string;
}

/**
 * GET of a file the core sends as an attachment (reports), with the session token. The body
 * is read chunk by chunk so a progress bar can follow it. Failures are ApiCallErrors like
 * those of `request` (the core's error body, or 'network.unreachable').
 */
export async function downloadFile(
  path: string,
  opts: {
    query?: RequestOptions['query'];
    fallbackName: string;
    onProgress?: (p: DownloadProgress) => void;
    signal?: AbortSignal;
  },
): Promise<DownloadedFile> {
  const token = tokenSource();
  let res: Response;
  try {
    res = await fetch(buildPath(path, opts.query), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiCallError(0, 'network.unreachable', UNREACHABLE);
  }
  if (!res.ok) throw errorOf(res.status, parseJson(await res.text()), Boolean(token));
  const total = Number(res.headers.get('content-length')) || null;
  const type = res.headers.get('content-type') ?? 'application/octet-stream';
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  opts.onProgress?.({ received, total });
  try {
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.byteLength;
        opts.onProgress?.({ received, total });
      }
    } else {
      const b = new Uint8Array(await res.arrayBuffer());
      chunks.push(b);
      received = b.byteLength;
      opts.onProgress?.({ received, total });
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiCallError(0, 'network.unreachable', UNREACHABLE);
  }
  return {
    blob: new Blob(chunks, { type }),
    filename: filenameFromDisposition(res.headers.get('content-disposition')) ?? opts.fallbackName,
  };
}

/**
 * The file name of a Content-Disposition header: RFC 5987 `filename*=UTF-8''…` first, then
 * `filename="…"` or a bare token. Path parts are dropped. Null when there is none.
 */
export function filenameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  let name: string | null = null;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star?.[2]) {
    try {
      name = decodeURIComponent(star[2].trim());
    } catch {
      name = null;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
    name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2] ?? null;
  }
  if (!name) return null;
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  return base && base !== '.' && base !== '..' ? base : null;
}

/** GET of a binary resource with the session token (e.g. the ID-card photo) as an object URL. */
export async function fetchObjectUrl(path: string): Promise<string | null> {
  const token = tokenSource();
  try {
    const r = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!r.ok) return null;
    return URL.createObjectURL(await r.blob());
  } catch {
    return null;
  }
}

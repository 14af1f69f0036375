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
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const body = json as Partial<ApiErrorBody> | null;
    const code = body?.error?.code ?? `http.${res.status}`;
    const message = body?.error?.message ?? {
      zh: `请求失败（${res.status}）`,
      en: `Request failed (${res.status})`,
    };
    if (code === 'auth.expired' || (code === 'auth.required' && token)) onAuthFailure(code);
    throw new ApiCallError(res.status, code, message, body?.error?.details);
  }
  return json as T;
}

/** True when the core answered "no such route": a feature the core does not offer yet. */
export function isMissingRoute(err: unknown): boolean {
  return err instanceof ApiCallError && err.status === 404 && err.code === 'request.not_found';
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

// Waits until the core answers GET /health (any JSON answer: a degraded core is still a
// core the screens can explain). Pure apart from the injected fetch and sleep.
export async function waitForHealth(
  coreUrl: string,
  opts: {
    timeoutMs: number;
    intervalMs?: number;
    fetchImpl?: typeof fetch;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<{ ok: true; status: string } | { ok: false; reason: 'timeout' }> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + opts.timeoutMs;
  const url = `${coreUrl.replace(/\/+$/, '')}/health`;
  for (;;) {
    try {
      const r = await fetchImpl(url);
      if (r.ok) {
        const body = (await r.json()) as { status?: string };
        return { ok: true, status: body.status ?? 'unknown' };
      }
    } catch {
      // not listening yet
    }
    if (now() >= deadline) return { ok: false, reason: 'timeout' };
    await sleep(opts.intervalMs ?? 250);
  }
}

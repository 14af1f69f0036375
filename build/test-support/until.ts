// Waiting for an outcome in tests: polls `check` until it holds. The bound is a number of
// rounds against a hang, not a measure of speed (a round is `everyMs` plus the check's own time,
// which grows with the machine's load).
export async function until(what: string, check: () => boolean | Promise<boolean>, o: { tries?: number; everyMs?: number } = {}): Promise<void> {
  const tries = o.tries ?? 600;
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, o.everyMs ?? 200));
  }
  if (await check()) return;
  throw new Error(`never happened: ${what}`);
}

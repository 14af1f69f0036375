// Reconnection delays of the live stream: 0.5 s, 1 s, 2 s, 4 s, then every 5 s. Short on
// purpose: the core is on the same machine and a gate screen must recover quickly.
export function reconnectDelayMs(attempt: number): number {
  if (attempt <= 1) return 500;
  return Math.min(5000, 500 * 2 ** (attempt - 1));
}

// AsyncHandleResult.Query answers: status "0" waiting, "10" failed, "20" succeeded, with
// `result` explaining. Per-item failures are read from `failList` ([{index, reason}], index
// into the submitted dataList) or from a JSON array in `result`; a failed result without a
// list fails every item with the overall reason.
export type AsyncStatus = 'waiting' | 'failed' | 'succeeded';

export interface ItemFailure {
  index: number;
  reason: string;
}

export interface AsyncResult {
  status: AsyncStatus;
  result: string;
  /** Per-item failures; empty when the whole request succeeded. */
  failures: ItemFailure[];
  /** True when `failures` names individual items (the others succeeded). */
  perItem: boolean;
}

function readFailList(v: unknown): ItemFailure[] | null {
  if (!Array.isArray(v)) return null;
  const out: ItemFailure[] = [];
  for (const x of v) {
    if (typeof x !== 'object' || x === null) return null;
    const o = x as Record<string, unknown>;
    const index = typeof o.index === 'number' ? o.index : Number(o.index);
    if (!Number.isInteger(index) || index < 0) return null;
    out.push({ index, reason: typeof o.reason === 'string' ? o.reason : String(o.reason ?? o.message ?? '') });
  }
  return out;
}

export function parseAsyncResult(data: unknown, itemCount: number): AsyncResult {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const s = String(d.status ?? '');
  const resultText = typeof d.result === 'string' ? d.result : d.result === undefined ? '' : JSON.stringify(d.result);
  if (s === '0') return { status: 'waiting', result: resultText, failures: [], perItem: false };
  if (s === '20') {
    const list = readFailList(d.failList) ?? [];
    return { status: list.length ? 'failed' : 'succeeded', result: resultText, failures: list, perItem: list.length > 0 };
  }
  if (s === '10') {
    let list = readFailList(d.failList);
    if (!list && typeof d.result === 'string' && d.result.trim().startsWith('[')) {
      try {
        list = readFailList(JSON.parse(d.result));
      } catch {
        list = null;
      }
    }
    if (list && list.length > 0) return { status: 'failed', result: resultText, failures: list, perItem: true };
    return {
      status: 'failed',
      result: resultText,
      failures: Array.from({ length: itemCount }, (_, index) => ({ index, reason: resultText || '处理失败' })),
      perItem: false,
    };
  }
  throw new Error(`unknown async status '${s}'`);
}

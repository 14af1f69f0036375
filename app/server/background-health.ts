// Health of the core's background work that must degrade, never crash, on a full or failing
// disk: the log file and the scheduled WAL checkpoints. Plain words, zh first.
import type { CheckpointState } from '../../edge-core/src/index.js';
import type { ComponentHealth } from '../shared/api-types.js';
import type { LogFileState } from './log-file.js';
import type { Bilingual } from '../shared/i18n/messages.js';

const WHY: Record<string, Bilingual> = {
  ENOSPC: { zh: '磁盘已满', en: 'disk full' },
  EDQUOT: { zh: '磁盘配额已满', en: 'disk quota full' },
  EROFS: { zh: '磁盘只读', en: 'disk read-only' },
  EACCES: { zh: '无写入权限', en: 'no write permission' },
  EIO: { zh: '磁盘读写错误', en: 'disk I/O error' },
  disk_full: { zh: '磁盘已满', en: 'disk full' },
  read_only: { zh: '磁盘只读', en: 'disk read-only' },
  io: { zh: '磁盘读写错误', en: 'disk I/O error' },
};

function why(code: string | null): Bilingual {
  return (code && WHY[code]) || { zh: `写入失败（${code ?? '?'}）`, en: `write failed (${code ?? '?'})` };
}

/** `logs`: ok while the file is written; else what is kept and what was lost. */
export function logFileHealth(s: LogFileState): ComponentHealth {
  if (s.ok)
    return s.dropped > 0
      ? { ok: true, detail: `日志曾丢失 ${s.dropped} 行 — ${s.dropped} log line(s) were lost earlier` }
      : { ok: true };
  const w = why(s.error);
  return {
    ok: false,
    detail: `日志文件无法写入（${w.zh}）：${s.spooled} 行暂存内存，已丢失 ${s.dropped} 行，空间恢复后自动补写 — log file cannot be written (${w.en}): ${s.spooled} line(s) kept in memory, ${s.dropped} lost; written once there is room`,
  };
}

/** `store.checkpoint`: only present once a scheduled checkpoint failed. */
export function checkpointHealth(s: CheckpointState): ComponentHealth {
  if (!s.failing)
    return { ok: true, detail: `已恢复（失败 ${s.failures} 次）— recovered (${s.failures} failure(s))` };
  const w = why(s.lastError);
  return {
    ok: false,
    detail: `数据库整理（WAL 检查点）失败 ${s.failures} 次（${w.zh}），稍后自动重试；已保存的记录不受影响 — database checkpoint failed ${s.failures} time(s) (${w.en}); retried automatically, saved records are safe`,
  };
}

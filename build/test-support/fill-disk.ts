// Fills a (small, test-mounted) file system until it has not one byte left: big writes, then
// smaller ones down to single bytes, each until ENOSPC.
import { closeSync, openSync, writeSync } from 'node:fs';

export function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [256 * 1024, 4096, 1]) {
      try {
        for (;;) writeSync(fd, Buffer.alloc(size, 1));
      } catch (err) {
        if ((err as { code?: string }).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

// Latest-frame-wins: one slot holding the newest frame. A consumer asks for "the newest frame
// after the one I last handled" and gets it at once, or the next one to arrive; frames that
// arrived while it was busy are overwritten, never queued, so analysis never lags the camera.
import type { Frame } from '../../../edge-core/src/ports/devices.js';

export class LatestFrame {
  private frame: Frame | null = null;
  private waiters: Array<{ after: number; resolve: (f: Frame | null) => void }> = [];
  /** Frames replaced before any consumer took them. */
  overwritten = 0;
  private taken = -1;

  put(frame: Frame): void {
    if (this.frame && this.frame.seq > this.taken) this.overwritten++;
    this.frame = frame;
    const ready = this.waiters.filter((w) => frame.seq > w.after);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => frame.seq <= w.after);
    this.taken = Math.max(this.taken, frame.seq);
    for (const w of ready) w.resolve(frame);
  }

  get(): Frame | null {
    return this.frame;
  }

  next(afterSeq: number): Promise<Frame | null> {
    const f = this.frame;
    if (f && f.seq > afterSeq) {
      this.taken = Math.max(this.taken, f.seq);
      return Promise.resolve(f);
    }
    return new Promise((resolve) => this.waiters.push({ after: afterSeq, resolve }));
  }

  /** Wakes every waiting consumer with null (the source stopped). */
  close(): void {
    for (const w of this.waiters.splice(0)) w.resolve(null);
  }
}

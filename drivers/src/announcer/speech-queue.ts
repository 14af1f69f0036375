// The announcement queue, pure: one announcement speaks at a time; a newer announcement for a
// lane replaces that lane's unspoken one; announcements older than maxAgeMs are dropped when
// their turn comes; the queue never holds more than maxPending (oldest dropped).

export interface QueuedSpeech {
  text: string;
  lane: string;
  enqueuedAt: number;
}

export interface SpeechQueueOptions {
  maxAgeMs?: number;
  maxPending?: number;
}

export class SpeechQueue {
  private items: QueuedSpeech[] = [];
  dropped = 0;
  private readonly maxAgeMs: number;
  private readonly maxPending: number;

  constructor(options: SpeechQueueOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? 3000;
    this.maxPending = options.maxPending ?? 3;
  }

  push(item: QueuedSpeech): void {
    const same = this.items.findIndex((i) => i.lane === item.lane);
    if (same >= 0) {
      this.items.splice(same, 1);
      this.dropped++;
    }
    this.items.push(item);
    while (this.items.length > this.maxPending) {
      this.items.shift();
      this.dropped++;
    }
  }

  /** The next announcement still worth speaking at `now`, or undefined. */
  next(now: number): QueuedSpeech | undefined {
    for (;;) {
      const item = this.items.shift();
      if (!item) return undefined;
      if (now - item.enqueuedAt <= this.maxAgeMs) return item;
      this.dropped++;
    }
  }

  get length(): number {
    return this.items.length;
  }
}

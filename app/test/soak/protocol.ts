// What the soak test and its core process say to each other (IPC) and share on disk.
import type { OutboxCounts } from '../../../edge-core/src/ports/platform.js';
import type { LaneFace } from './face-stand-in.js';

/** SOAK_DIR/setup.json, written by the test before the first start. */
export interface SoakSetup {
  /** Raw configuration (parsed by the core's own schema). */
  config: Record<string, unknown>;
  /** Local worker id of synthetic worker k at index k. */
  workerIds: number[];
  /** Local worker id of the real face (astronaut fixture). */
  realWorkerId: number;
  framesPerPassage: number;
}

export type ToCore =
  /** Advance the simulated clock to `t` (never back); optionally say who stands at lane index `lane`. */
  | { type: 'tick'; id: number; t: number; lane?: number; face?: LaneFace | null }
  | { type: 'counts'; id: number }
  | { type: 'stop' };

export type FromCore =
  | { type: 'ready'; url: string; pid: number }
  | { type: 'ack'; id: number }
  | { type: 'counts'; id: number; counts: OutboxCounts; face: { real: number; standIn: number } };

// In-process hub of live events sent to the UI over the WebSocket.
import { EventEmitter } from 'node:events';
import type { LiveEvent } from '../shared/api-types.js';

export class EventHub {
  readonly #emitter = new EventEmitter();
  constructor() {
    this.#emitter.setMaxListeners(100);
  }
  publish(e: LiveEvent): void {
    this.#emitter.emit('event', e);
  }
  subscribe(fn: (e: LiveEvent) => void): () => void {
    this.#emitter.on('event', fn);
    return () => this.#emitter.off('event', fn);
  }
}

// The admin's on-demand backup: written next to the automatic ones (oldest pruned when the disk
// runs short), audited with the file's name and what was pruned for room.
import type { CoreServices } from './services.js';

export async function createBackup(s: CoreServices, actor: string): Promise<string> {
  const pruned: string[] = [];
  const path = await s.store.autoBackup({ reserveBytes: s.config.storage.criticalFreeMb * 1024 * 1024, onPruned: (p) => pruned.push(p) });
  const name = (p: string): string | undefined => p.split(/[\\/]/).pop();
  s.store.tx(() => s.audit.append(actor, 'backup.create', null, { file: name(path), prunedForSpace: pruned.map(name) }));
  return path;
}

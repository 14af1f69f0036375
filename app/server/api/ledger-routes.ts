// The signed ledger's daily receipt (chain length, head hash, date, device key fingerprint,
// signed by the device) for the supervisor to export or print and keep off the box: `verify`
// compares the chain with it and so finds a cut-off tail or a rewritten, re-signed chain.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CoreServices } from '../services.js';
import { chainAnchor, receiptText } from '../chain-anchor.js';
import { parse, requireRole } from './server.js';

export function registerLedgerRoutes(app: FastifyInstance, s: CoreServices): void {
  // Each export writes an audit entry: limited per remote source like the other exports.
  app.get('/api/ledger/receipt', { config: { rateLimit: 'expensive' } }, async (req, reply) => {
    const actor = requireRole(req, 'supervisor');
    const q = parse(z.strictObject({ format: z.enum(['json', 'text']).default('json') }), req.query);
    // The export is audited first, so the receipt covers its own audit entry.
    s.store.tx(() => s.audit.append(actor, 'ledger.receipt', null, { format: q.format }));
    const receipt = chainAnchor(s, 'receipt');
    reply.header('content-disposition', `attachment; filename="sitegate-receipt-${receipt.date}-${receipt.seq}.${q.format === 'json' ? 'json' : 'txt'}"`);
    reply.header('cache-control', 'no-store');
    if (q.format === 'text') return reply.type('text/plain; charset=utf-8').send(receiptText(receipt, s.project.get()?.name ?? ''));
    return reply.type('application/json; charset=utf-8').send(`${JSON.stringify(receipt, null, 2)}\n`);
  });
}

// The signed ledger's receipt (app/server/api/ledger-routes.ts): chain length, head hash, date
// and device key fingerprint, signed by the device, for the supervisor to keep off the box.
import { downloadFile, type DownloadedFile } from './http.js';

export type ReceiptFormat = 'json' | 'text';

/** GET /api/ledger/receipt (supervisor) → the receipt file (JSON for `verify --receipt`, text to print). */
export function ledgerReceipt(format: ReceiptFormat, signal?: AbortSignal): Promise<DownloadedFile> {
  return downloadFile('/api/ledger/receipt', { query: { format }, fallbackName: `sitegate-receipt.${format === 'json' ? 'json' : 'txt'}`, signal });
}

// The appliance's anchors of its signed ledger (edge-core ledger-anchor.ts): the one each
// heartbeat carries to the platform, and the daily receipt a supervisor exports or prints.
import { hostname } from 'node:os';
import { localDate, signAnchor, type ChainAnchor } from '../../edge-core/src/index.js';
import type { AppConfig } from './config.js';
import type { CoreServices } from './services.js';

/** The appliance's serial as the platform knows it. */
export function deviceSerial(config: AppConfig): string {
  return config.platform.type === 'remote' ? (config.platform.deviceSn ?? hostname()) : `sitegate-demo-${hostname()}`;
}

/** Signs the current head of the ledger. */
export function chainAnchor(s: CoreServices, purpose: ChainAnchor['purpose']): ChainAnchor {
  const at = s.clock.now();
  const timeZone = s.attendance.siteTimeZone();
  return signAnchor(s.store.ledger.head(), s.store.ledger.signer, { purpose, deviceSn: deviceSerial(s.config), at, date: localDate(at, timeZone), timeZone });
}

/** The receipt as a page to print and file: what `verify --anchor SEQ:HASH` needs is on it, and the signed JSON. */
export function receiptText(a: ChainAnchor, projectName: string): string {
  return [
    '考勤账本回执 / SiteGate ledger receipt',
    '',
    `项目 Project:            ${projectName}`,
    `设备 Device:             ${a.deviceSn ?? '-'}`,
    `设备公钥指纹 Key:        ${a.fingerprint}`,
    `日期 Date:               ${a.date} (${a.timeZone}), ${new Date(a.at).toISOString()}`,
    `账本长度 Chain length:   ${a.seq}`,
    `末条哈希 Head hash:      ${a.headHash}`,
    '',
    '核验 To check the appliance against this receipt:',
    `  npm run verify -- DATA-DIR --anchor ${a.seq}:${a.headHash}`,
    '  (or save the line below as receipt.json: npm run verify -- DATA-DIR --receipt receipt.json)',
    '',
    JSON.stringify(a),
    '',
  ].join('\n');
}

import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../server/logger.js';
import { scrubString } from '../server/redact.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('logs: personal data is redacted', () => {
  it('ID numbers, bank cards and mobile numbers in free text are masked', () => {
    expect(scrubString('id 99999919900101050X ok')).toBe('id 9999**********050X ok');
    expect(scrubString('card 6222000000000000017')).toBe('card 6222***********0017');
    expect(scrubString('call 13800000017')).toBe('call 138****0017');
  });

  it('sensitive keys are removed and names masked wherever they appear, messages scrubbed', async () => {
    const { lines, logger } = capture();
    logger.info(
      { worker: { name: '测试甲', idNumber: '99999919900101050X', photo: Buffer.alloc(10) }, platform: { appsecret: 's3cret-value' } },
      'enrolled 99999919900101050X',
    );
    logger.flush();
    await new Promise((r) => setTimeout(r, 20));
    const out = lines.join('');
    expect(out).not.toContain('99999919900101050X');
    expect(out).not.toContain('s3cret-value');
    expect(out).not.toContain('测试甲');
    expect(out).toContain('测**');
    expect(out).toContain('9999**********050X');
    const rec = JSON.parse(lines[0] as string);
    expect(rec.worker.idNumber).toBe('[redacted]');
  });
});

// The refusal's wire shape (sync/src/platform/wire.ts, decision 0012), for any person, time,
// direction, reasons and photo: exactly the refusal method's fields, the ID number encrypted and
// opening to the person's, the platform's wall-clock time, 01/02, the device, the helmet code
// and the reasons as the worker heard them; a refusal without the helmet reason, or a device
// without a serial, is never sent. And the planner puts each refusal in one request of at most
// the batch size, in outbox order, none lost.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import sharp from 'sharp';
import { rules } from '../../edge-core/src/index.js';
import type { OutboxItem, RefusalForPlatform } from '../../edge-core/src/ports/platform.js';
import { resolvePlatformConfig } from '../src/platform/config.js';
import { formatDateTime, parseDateTime } from '../src/platform/timestamp.js';
import { refusalItem, REFUSE_TYPE } from '../src/platform/wire.js';
import { planBatches } from '../src/outbox/batch-planner.js';
import { fakeResidentId, TEST_SECRET } from './support/fake-ids.js';

const base = { endpoint: 'http://platform.invalid/api', appid: 'app', appsecret: TEST_SECRET, projectCode: 'P-1' };
const cfg = resolvePlatformConfig({ ...base, deviceSn: 'SG-PROP-1' });
const REQUIRED = ['idCardType', 'idCardNumber', 'date', 'direction', 'deviceSn', 'refuseType', 'refuseReason'];
const OTHER_REASONS = ['contract_expired', 'insurance_missing', 'mask_missing', 'outside_time_window', 'helmet_unchecked'];

describe('sync: refusal wire mapping (property)', () => {
  it('maps every refusal to exactly the method fields, reversibly where it must be', async () => {
    const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#444' } }).jpeg().toBuffer();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300_000 }),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.constantFrom<'in' | 'out'>('in', 'out'),
        fc.subarray(OTHER_REASONS),
        fc.nat(),
        fc.boolean(),
        async (n, at, direction, others, pos, withPhoto) => {
          const reasons = [...others];
          reasons.splice(pos % (others.length + 1), 0, 'helmet_missing');
          const id = fakeResidentId(n);
          const item = await refusalItem({ idType: '01', idNumber: id, occurredAt: at, direction, reasons, photoJpeg: withPhoto ? jpeg : null }, cfg);
          expect(Object.keys(item).sort()).toEqual([...REQUIRED, ...(withPhoto ? ['image'] : [])].sort());
          expect(item.idCardNumber).not.toContain(id);
          expect(cfg.fieldCrypto.decrypt(item.idCardNumber as string)).toBe(id);
          expect(item.date).toBe(formatDateTime(at, 'Asia/Shanghai'));
          expect(parseDateTime(item.date as string)).not.toBeNull();
          expect(item.direction).toBe(direction === 'in' ? '01' : '02');
          expect(item).toMatchObject({ idCardType: '01', deviceSn: 'SG-PROP-1', refuseType: REFUSE_TYPE.helmet_missing });
          expect(item.refuseReason).toBe(reasons.map((r) => rules.REASON_TEXTS[r as keyof typeof rules.REASON_TEXTS].zh).join('；'));
          if (withPhoto) expect(Buffer.from(item.image as string, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never sends a refusal without the helmet reason, nor one without a device serial', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(OTHER_REASONS), async (reasons) => {
        await expect(refusalItem({ idType: '01', idNumber: fakeResidentId(1), occurredAt: Date.now(), direction: 'in', reasons }, cfg)).rejects.toThrow(/uploadable reason/);
      }),
      { numRuns: 40 },
    );
    const noSn = resolvePlatformConfig(base);
    await expect(refusalItem({ idType: '01', idNumber: fakeResidentId(1), occurredAt: Date.now(), direction: 'in', reasons: ['helmet_missing'] }, noSn)).rejects.toThrow(/device serial/);
  });

  it('plans each refusal into exactly one request of at most the batch size, in outbox order, or defers it behind its worker', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ worker: fc.integer({ min: 1, max: 6 }), kind: fc.constantFrom<'refusal' | 'attendance'>('refusal', 'attendance') }), { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (rows, size) => {
        const items: OutboxItem[] = rows.map((r, i) => ({
          id: i + 1,
          kind: r.kind,
          refId: `e${i + 1}`,
          partitionKey: `worker:${r.worker}`,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: 0,
          firstAttemptAt: null,
          requestSerialCode: null,
          lastError: null,
          parkedReason: null,
          createdAt: 0,
          sentAt: null,
        }));
        const refusals: RefusalForPlatform[] = items
          .filter((i) => i.kind === 'refusal')
          .map((i) => ({ outboxId: i.id, eventId: i.refId, workerId: Number(i.partitionKey.slice(7)), idType: '01', idNumber: fakeResidentId(i.id), occurredAt: i.id * 1000, direction: 'in', reasons: ['helmet_missing'], photoJpeg: null, laneId: 'lane-1', projectCode: 'P-1' }));
        const attendance = items
          .filter((i) => i.kind === 'attendance')
          .map((i) => ({ outboxId: i.id, eventId: i.refId, workerId: 1, workerName: 'x', idType: '01', idNumber: fakeResidentId(i.id), occurredAt: i.id, timeZone: 'Asia/Shanghai', direction: 'in' as const, photoJpeg: null, teamSysNo: 'T1', projectCode: 'P-1', lng: null, lat: null }));
        const plan = planBatches(items, attendance, [], { attendanceBatchSize: 20, workerBatchSize: 5, refusalBatchSize: size, solo: new Set() }, [], refusals);
        const inBatches = plan.batches.filter((b) => b.kind === 'refusal').flatMap((b) => {
          expect(b.items.length).toBeLessThanOrEqual(size);
          expect(b.refusals.map((r) => r.outboxId)).toEqual(b.items.map((i) => i.id));
          expect(b.items.map((i) => i.id)).toEqual([...b.items.map((i) => i.id)].sort((x, y) => x - y));
          return b.items.map((i) => i.id);
        });
        const deferred = plan.deferred.filter((i) => i.kind === 'refusal').map((i) => i.id);
        expect([...inBatches, ...deferred].sort((x, y) => x - y)).toEqual(refusals.map((r) => r.outboxId));
        expect(plan.missing.length + plan.unsupported.length).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

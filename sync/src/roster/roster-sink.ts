// Writes pulled roster rows into the appliance store through WorkersRepo: deduplicated by the
// ID-number hash, employers and teams created on first sight (with their platform numbers).
import type { WorkersRepo } from '../../../edge-core/src/index.js';
import type { PlatformRosterWorker, RosterSinkPort, RosterUpsertResult } from '../../../edge-core/src/ports/platform.js';

/** The actor of changes the roster pull makes (audit). */
const PLATFORM = 'platform';

export function createRosterSink(workers: WorkersRepo): RosterSinkPort {
  const employerByCode = new Map<string, number>();
  const teamBySysNo = new Map<string, number>();
  const refresh = (): void => {
    for (const e of workers.listEmployers()) employerByCode.set(e.creditCode, e.id);
    for (const t of workers.listTeams()) if (t.platformTeamSysNo) teamBySysNo.set(t.platformTeamSysNo, t.id);
  };
  refresh();

  const employerFor = (w: PlatformRosterWorker): number | null => {
    if (!w.corpCode) return null;
    let id = employerByCode.get(w.corpCode);
    if (id === undefined) {
      id = workers.createEmployer({ name: w.corpName ?? w.corpCode, creditCode: w.corpCode, corpType: 'labour' }, 'platform').id;
      employerByCode.set(w.corpCode, id);
    }
    return id;
  };
  const teamFor = (w: PlatformRosterWorker, employerId: number | null): number | null => {
    if (!w.teamSysNo || employerId === null) return null;
    let id = teamBySysNo.get(w.teamSysNo);
    if (id === undefined) {
      refresh();
      id = teamBySysNo.get(w.teamSysNo);
    }
    if (id === undefined) {
      id = workers.createTeam({ employerId, name: `班组 ${w.teamSysNo}`, platformTeamSysNo: w.teamSysNo }, 'platform').id;
      teamBySysNo.set(w.teamSysNo, id);
    }
    return id;
  };

  let statusChanges = 0;
  // The platform's status of a worker, applied as it says: blacklist and 退场 always (the
  // platform's word ends passage at every gate); back to active only when the platform itself
  // had set the local status (a departure or blacklist entered on this appliance stays until
  // the platform has it). Fields the platform does not send change nothing.
  const applyStatus = (id: number, w: PlatformRosterWorker): boolean => {
    if (w.blacklisted === undefined && w.exitDate === undefined) return false;
    const cur = workers.get(id);
    if (!cur) return false;
    const want = w.blacklisted ? 'blacklisted' : w.exitDate ? 'inactive' : 'active';
    if (cur.status === want) return false;
    if (want === 'active' && workers.lastStatusActor(id) !== PLATFORM) return false;
    // A worker blacklisted here is not merely departed there: the stricter status stays.
    if (want === 'inactive' && cur.status === 'blacklisted' && workers.lastStatusActor(id) !== PLATFORM) return false;
    const reason = want === 'blacklisted' ? '平台黑名单 / on the platform blacklist' : want === 'inactive' ? `平台登记退场 ${w.exitDate ?? ''} / departure recorded on the platform` : '平台登记进场 / back on site per the platform';
    workers.setStatus(id, want, PLATFORM, reason);
    statusChanges++;
    return true;
  };
  const applyContractEnd = (id: number, w: PlatformRosterWorker): boolean => {
    if (w.contractEnd === undefined || w.contractEnd === null) return false;
    const cur = workers.get(id);
    if (!cur || cur.contractEnd === w.contractEnd) return false;
    workers.updateAssignment(id, { contractEnd: w.contractEnd, hasContract: true }, PLATFORM);
    return true;
  };

  return {
    statusChanges: () => statusChanges,
    upsertFromPlatform(w): RosterUpsertResult {
      const employerId = employerFor(w);
      const teamId = teamFor(w, employerId);
      const tradeCode = w.tradeCode ?? '010';
      // A manager keeps the post the platform states; one whose post is missing or unknown is
      // not made a 劳务员: stored with trade 900 and no post, which the data check shows the clerk.
      const manager = w.role === 'manager' || tradeCode === '900';
      const post = manager ? (w.managementRole ?? null) : null;
      const existing = workers.findIdByIdNumber(w.idNumber);
      if (existing === null) {
        const created = workers.create(
          {
            name: w.name,
            idType: (w.idType || '01') as Parameters<WorkersRepo['create']>[0]['idType'],
            idNumber: w.idNumber,
            tradeCode,
            role: post ? 'manager' : 'worker',
            managementRole: post,
            employerId,
            teamId,
            isTeamLeader: w.isTeamLeader,
            hasContract: w.hasContract ?? false,
            hasInsurance: w.hasInsurance ?? false,
            idPhoto: w.headImageJpeg,
            source: 'platform',
          },
          PLATFORM,
        );
        applyStatus(created.id, w);
        applyContractEnd(created.id, w);
        return 'created';
      }
      // Status first: it refuses at the gate at once, whatever else the row brings.
      const statusChanged = applyStatus(existing, w);
      const contractChanged = applyContractEnd(existing, w);
      const cur = workers.get(existing);
      const hasContract = w.hasContract ?? cur?.hasContract ?? false;
      const hasInsurance = w.hasInsurance ?? cur?.hasInsurance ?? false;
      // The platform's post replaces the local one when it states one; otherwise the local one stays.
      const posted = post && cur?.managementRole !== post ? { role: 'manager' as const, managementRole: post } : {};
      if (cur && cur.teamId === teamId && cur.employerId === employerId && cur.tradeCode === tradeCode && cur.hasContract === hasContract && cur.hasInsurance === hasInsurance && !('role' in posted)) {
        return statusChanged || contractChanged ? 'updated' : 'unchanged';
      }
      workers.updateAssignment(existing, { teamId, employerId, tradeCode, hasContract, hasInsurance, ...posted }, PLATFORM);
      return 'updated';
    },
  };
}

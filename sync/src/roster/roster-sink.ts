// Writes pulled roster rows into the appliance store through WorkersRepo: deduplicated by the
// ID-number hash, employers and teams created on first sight (with their platform numbers).
import type { WorkersRepo } from '../../../edge-core/src/index.js';
import type { PlatformRosterWorker, RosterSinkPort, RosterUpsertResult } from '../../../edge-core/src/ports/platform.js';

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

  return {
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
        workers.create(
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
          'platform',
        );
        return 'created';
      }
      const cur = workers.get(existing);
      const hasContract = w.hasContract ?? cur?.hasContract ?? false;
      const hasInsurance = w.hasInsurance ?? cur?.hasInsurance ?? false;
      // The platform's post replaces the local one when it states one; otherwise the local one stays.
      const posted = post && cur?.managementRole !== post ? { role: 'manager' as const, managementRole: post } : {};
      if (cur && cur.teamId === teamId && cur.employerId === employerId && cur.tradeCode === tradeCode && cur.hasContract === hasContract && cur.hasInsurance === hasInsurance && !('role' in posted)) return 'unchanged';
      workers.updateAssignment(existing, { teamId, employerId, tradeCode, hasContract, hasInsurance, ...posted }, 'platform');
      return 'updated';
    },
  };
}

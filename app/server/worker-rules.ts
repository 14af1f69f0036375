// Business rules of the worker register (employers, teams, workers), checked before a write so
// that a broken rule is answered as the request's fault (400/409 with the field's path) rather
// than surfacing from a database constraint as a 500. Used by the worker, organisation and
// enrollment routes.
import { isValidResidentId } from '../../edge-core/src/index.js';
import { ApiError } from './api/errors.js';
import type { CoreServices } from './services.js';

/** A resident ID number (type 01) must carry a valid GB 11643 check digit. */
export function requireValidIdNumber(w: { idType: string; idNumber: string }, prefix: string): void {
  if (w.idType === '01' && !isValidResidentId(w.idNumber.toUpperCase())) {
    throw new ApiError(400, 'request.invalid', [{ path: `${prefix}idNumber`, message: 'not a valid resident ID number (18 characters, check digit)' }]);
  }
}

/** Refuses an employer or team id that does not exist (400 with the field's path). */
export function requireKnownRefs(s: CoreServices, refs: { employerId?: number | null; teamId?: number | null }, prefix = ''): void {
  const missing: Array<{ path: string; message: string }> = [];
  if (refs.employerId != null && !s.workers.listEmployers().some((e) => e.id === refs.employerId)) missing.push({ path: `${prefix}employerId`, message: 'no such employer' });
  if (refs.teamId != null && !s.workers.listTeams().some((t) => t.id === refs.teamId)) missing.push({ path: `${prefix}teamId`, message: 'no such team' });
  if (missing.length) throw new ApiError(400, 'request.invalid', missing);
}

/** A manager has a management role; a worker has none. */
export function requireManagementRoleFits(role: string, managementRole: string | null | undefined, prefix = ''): void {
  if ((role === 'manager') !== Boolean(managementRole)) {
    throw new ApiError(400, 'request.invalid', [{ path: `${prefix}managementRole`, message: 'required for managers, absent for workers' }]);
  }
}

/** The unified social credit code is unique among employers. */
export function requireNewEmployer(s: CoreServices, creditCode: string): void {
  if (s.workers.listEmployers().some((e) => e.creditCode === creditCode)) {
    throw new ApiError(409, 'employer.duplicate', [{ path: 'creditCode', message: 'an employer with this credit code is already registered' }]);
  }
}

/** The employer exists and has no team of this name yet. */
export function requireNewTeam(s: CoreServices, team: { employerId: number; name: string }): void {
  requireKnownRefs(s, { employerId: team.employerId });
  if (s.workers.listTeams().some((t) => t.employerId === team.employerId && t.name === team.name)) {
    throw new ApiError(409, 'team.duplicate', [{ path: 'name', message: 'this employer already has a team of this name' }]);
  }
}

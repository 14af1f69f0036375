// How an account is named in the audit log: `<role>#<number> <name>` (e.g. `admin#1 张三`), so
// every entry says which person did it, with the role and account number they had, as the
// name read at that moment (a later rename does not rewrite history). Entries written before
// named accounts carry the bare role (`admin`); 'system', 'platform', 'setup' and the like are
// not people. Pure, so the UI uses it too.
import { ROLES, type Role } from './roles.js';

export interface AccountRef {
  id: number;
  role: Role;
  name: string;
}

export function accountActor(a: AccountRef): string {
  return `${a.role}#${a.id} ${a.name}`;
}

const ACTOR = new RegExp(`^(${ROLES.join('|')})#(\\d+) ([\\s\\S]+)$`);

/** The account an audit actor names, or null (a role from before named accounts, or not a person). */
export function parseAccountActor(actor: string): AccountRef | null {
  const m = ACTOR.exec(actor);
  if (!m) return null;
  return { role: m[1] as Role, id: Number(m[2]), name: m[3] as string };
}

/** The audit target of an account. */
export function accountTarget(id: number): string {
  return `account:${id}`;
}

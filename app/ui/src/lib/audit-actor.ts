// Who an audit entry names, for the screen: a person (`admin#3 张三` → 张三（管理员 #3）), a role
// from before named accounts (`admin` → 管理员（共用 PIN 时期）), or a system actor as written.
import { parseAccountActor } from '../../../../edge-core/src/auth/account-actor.js';
import type { TextKey } from '../i18n/texts.js';

const ROLE_KEYS: Record<string, TextKey> = { clerk: 'role.clerk', supervisor: 'role.supervisor', admin: 'role.admin' };

export function actorLabel(actor: string, t: (key: TextKey, vars?: Record<string, string | number>) => string): string {
  const person = parseAccountActor(actor);
  if (person) return t('accounts.actor', { name: person.name, role: t(ROLE_KEYS[person.role] as TextKey), n: person.id });
  const role = ROLE_KEYS[actor];
  if (role) return t('accounts.actor_role', { role: t(role) });
  return actor;
}

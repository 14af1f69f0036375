// Roles: clerk 劳务员 < supervisor 主管 < admin 管理员; a role includes the ones below it. Pure
// (the UI uses it too).
export const ROLES = ['clerk', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Which roles a role includes: admin ⊇ supervisor ⊇ clerk. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

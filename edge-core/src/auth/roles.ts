// The roles of the appliance's users (clerk 劳务员 < supervisor 主管 < admin 管理员, as the screens
// name them) and which includes which. Plain data: the kiosk UI imports it too (browser-safe; listed in
// eslint.config.js). PINs, sign-in and lockouts are in pins.ts, sign-in.ts and pin-lockouts.ts.
export const ROLES = ['clerk', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Which roles a role includes: admin ⊇ supervisor ⊇ clerk. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

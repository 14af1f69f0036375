// Renders its children only for a signed-in role at least `need`; otherwise the login.
import type { ReactNode } from 'react';
import type { Role } from '../api/core.js';
import { roleAllows, useSession } from '../lib/session.js';
import { Login } from './Login.js';

export function RequireRole({ need, children }: { need: Role; children: ReactNode }) {
  const { session } = useSession();
  if (!session || !roleAllows(session.role, need)) return <Login need={need} />;
  return <>{children}</>;
}

// What the API and the background jobs share: the store and its repositories, the clock,
// the logger, the live event hub and the health of each component.
import type { Logger } from 'pino';
import {
  AttendanceRepo,
  DashboardQueries,
  ProjectRepo,
  PinSignIn,
  AccountsRepo,
  SettingsRepo,
  WorkersRepo,
  AuditLog,
  type Clock,
  type Store,
} from '../../edge-core/src/index.js';
import type { AppConfig } from './config.js';
import type { EventHub } from './events.js';
import type { ComponentHealth } from '../shared/api-types.js';
import { CalendarService } from './calendar-service.js';
import { refusalUploadPolicy } from './refusal-upload.js';

export class HealthRegistry {
  readonly #components = new Map<string, ComponentHealth>();
  set(name: string, h: ComponentHealth): void {
    this.#components.set(name, h);
  }
  get(name: string): ComponentHealth | undefined {
    return this.#components.get(name);
  }
  snapshot(): Record<string, ComponentHealth> {
    return Object.fromEntries(this.#components);
  }
  allOk(): boolean {
    return [...this.#components.values()].every((c) => c.ok);
  }
}

export interface CoreServices {
  config: AppConfig;
  version: string;
  startedAt: number;
  store: Store;
  clock: Clock;
  logger: Logger;
  events: EventHub;
  health: HealthRegistry;
  workers: WorkersRepo;
  attendance: AttendanceRepo;
  dashboard: DashboardQueries;
  project: ProjectRepo;
  /** Signing in with an account's PIN (lockouts, the sign-in audit). */
  pins: PinSignIn;
  /** Named accounts (clerks, supervisors, admins). */
  accounts: AccountsRepo;
  settings: SettingsRepo;
  audit: AuditLog;
  /** The construction calendar (施工日历): base plus marked days. */
  calendar: CalendarService;
}

export function createServices(args: {
  config: AppConfig;
  version: string;
  store: Store;
  logger: Logger;
  events: EventHub;
  health: HealthRegistry;
}): CoreServices {
  const { store } = args;
  const settings = new SettingsRepo(store);
  const audit = new AuditLog(store);
  const attendance = new AttendanceRepo(store, { refusalUpload: refusalUploadPolicy(args.config) });
  return {
    ...args,
    startedAt: store.clock.now(),
    clock: store.clock,
    workers: new WorkersRepo(store),
    attendance,
    dashboard: new DashboardQueries(store),
    project: new ProjectRepo(store),
    pins: new PinSignIn(store),
    accounts: new AccountsRepo(store),
    settings,
    audit,
    calendar: new CalendarService({ store, settings, audit, clock: store.clock, logger: args.logger, timeZone: () => attendance.siteTimeZone() }),
  };
}

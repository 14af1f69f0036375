// The first-run wizard of a non-demo install (no admin PIN yet): what the configuration holds
// now (to pre-fill it), the serial ports present, a test call to the platform, and the one
// save of everything — PINs, project, lanes and devices, the platform link and its appsecret.
// Without a PIN there is nobody to log in, so these routes answer only on this machine (the
// kiosk): whoever reaches the appliance first over the LAN must not be able to claim it.
// After the save the core starts again with the new configuration.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ROLES, isAcceptablePin, roleAllows } from '../../../edge-core/src/index.js';
import { createPlatformClient, FieldCryptoError, isPlatformError } from '../../../sync/src/index.js';
import {
  platformTestRequest,
  siteSetupRequest,
  type SerialPortInfo,
  type SetupStatusResponse,
} from '../../shared/api-types.js';
import type { CoreServices } from '../services.js';
import { APPSECRET_KEY } from '../sync-service.js';
import { writeSetupConfig } from '../site-setup.js';
import { ApiError } from './errors.js';
import { attemptAccounts, isFirstRun, refuseDemoPins, ROLE_ACCOUNT_NAMES } from './account-routes.js';
import { isLoopback, parse } from './request-guard.js';
import type { Reply } from '../../shared/api/contract.js';

export const BAD_SECRET = {
  zh: '平台密钥格式不符（字段加密需要 32 个字符的密钥），请核对平台发放的 appsecret',
  en: 'The appsecret does not fit the field cipher (it needs 32 characters); check the appsecret the platform issued',
};

export interface SetupRouteOptions {
  /** The configuration file the wizard writes (null: none was given, the wizard cannot save). */
  configFile: string | null;
  /** Starts the core again with the configuration file as it is now. */
  requestReload: (() => void) | null;
}

/** The wizard's helper routes: on this machine during the first run, or for an admin. */
function requireSetupAccess(s: CoreServices, req: FastifyRequest): void {
  if (isFirstRun(s)) {
    if (!isLoopback(req)) throw new ApiError(403, 'setup.local_only');
    return;
  }
  if (!req.role) throw new ApiError(401, 'auth.required');
  if (!roleAllows(req.role, 'admin')) throw new ApiError(403, 'auth.forbidden');
}

export function currentSetup(s: CoreServices, configFile: string | null): NonNullable<SetupStatusResponse['current']> {
  const c = s.config;
  const p = c.platform;
  return {
    lanes: c.lanes.map((l) => ({ id: l.id, name: l.name, direction: l.direction })),
    simulate: c.devices.simulate,
    idCardReaderPath: c.devices.idCardReader?.path ?? null,
    platform: p.type === 'remote' ? { type: 'remote', endpoint: p.endpoint, appId: p.appId } : { type: p.type },
    configFile,
  };
}

async function serialPorts(): Promise<SerialPortInfo[]> {
  const { SerialPort } = await import('serialport');
  const ports = await SerialPort.list();
  return ports.map((p) => ({ path: p.path, manufacturer: p.manufacturer ?? null })).sort((a, b) => a.path.localeCompare(b.path));
}

export function registerSetupRoutes(app: FastifyInstance, s: CoreServices, opts: SetupRouteOptions): void {
  app.get('/api/setup/site', async (req): Promise<Reply<'GET /api/setup/site'>> => {
    requireSetupAccess(s, req);
    return currentSetup(s, opts.configFile);
  });

  app.get('/api/setup/ports', async (req): Promise<Reply<'GET /api/setup/ports'>> => {
    requireSetupAccess(s, req);
    try {
      return await serialPorts();
    } catch (err) {
      s.logger.warn({ err }, 'serial ports could not be listed');
      return [];
    }
  });

  app.post('/api/setup/platform-test', async (req): Promise<Reply<'POST /api/setup/platform-test'>> => {
    // The demo plays its own platform; a test call from it would only reach out to the network.
    if (s.config.demo) throw new ApiError(409, 'setup.demo');
    requireSetupAccess(s, req);
    const body = parse(platformTestRequest, req.body);
    const appsecret = body.appsecret ?? s.settings.getSecret(APPSECRET_KEY);
    const t0 = Date.now();
    if (!appsecret) {
      return { ok: false, ms: 0, kind: 'no_secret', message: { zh: '尚未填写平台密钥（appsecret）', en: 'No appsecret entered yet' } };
    }
    const p = s.config.platform;
    let client: ReturnType<typeof createPlatformClient>;
    try {
      client = createPlatformClient({
      endpoint: body.endpoint,
      appid: body.appId,
      appsecret,
      projectCode: body.projectCode,
      timeZone: s.config.project.timeZone,
      clock: s.clock,
      timeoutMs: 10_000,
      ...(p.type === 'remote' ? { signature: p.signature, fieldCipher: p.fieldCipher, fieldKeyFit: p.fieldKeyFit, timestampWindowMs: p.timestampWindowMs } : {}),
      });
    } catch (err) {
      // A secret the field cipher cannot use (AES-256 needs exactly 32 characters).
      if (err instanceof FieldCryptoError) return { ok: false, ms: 0, kind: 'bad_secret', message: BAD_SECRET };
      throw err;
    }
    try {
      // A read-only query: it proves the address, the appid/appsecret signature and the project code.
      const page = await client.queryTeams(1);
      return { ok: true, ms: Date.now() - t0, teams: page.totalCount ?? page.rows.length };
    } catch (err) {
      if (isPlatformError(err)) return { ok: false, ms: Date.now() - t0, kind: err.kind, message: err.userMessage };
      return { ok: false, ms: Date.now() - t0, kind: 'error', message: { zh: `测试失败：${(err as Error).message}`, en: `Test failed: ${(err as Error).message}` } };
    } finally {
      client.close();
    }
  });

  // On the appliance itself only (route access 'local', request-guard.ts), whatever the session.
  app.post('/api/setup', { config: { access: 'local' } }, async (req): Promise<Reply<'POST /api/setup'>> => {
    if (s.config.demo) throw new ApiError(409, 'setup.demo');
    if (!isLoopback(req)) throw new ApiError(403, 'setup.local_only');
    if (s.accounts.any()) throw new ApiError(409, 'setup.already_done');
    const body = parse(siteSetupRequest, req.body);
    const pins = [body.pins.admin, body.pins.supervisor, body.pins.clerk];
    refuseDemoPins(s, pins);
    if (new Set(pins).size !== pins.length) {
      throw new ApiError(400, 'request.invalid', [{ path: 'pins', message: 'each role needs its own PIN' }]);
    }
    if (!opts.configFile) throw new ApiError(409, 'setup.no_config_file');
    // One account per role, named after it (renamed to its person later in Settings), as the
    // older set-up body makes them. Weak PINs are refused before anything is written.
    const accounts = ROLES.map((role) => ({ name: ROLE_ACCOUNT_NAMES[role], role, pin: body.pins[role], shared: true })).reverse();
    if (!pins.every(isAcceptablePin)) throw new ApiError(400, 'pin.weak');
    // The file first: if storing the accounts then fails, the wizard simply shows again, pre-filled.
    try {
      writeSetupConfig(opts.configFile, body);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOENT') {
        s.logger.error({ err, file: opts.configFile }, 'first-run setup: configuration file not writable');
        throw new ApiError(409, 'setup.write_failed', { file: opts.configFile });
      }
      throw err;
    }
    s.store.tx(() => {
      attemptAccounts(() => s.accounts.create(accounts, 'setup'));
      if (body.platform.type === 'remote') s.settings.setSecret(APPSECRET_KEY, body.platform.appsecret);
      s.audit.append('setup', 'setup.complete', null, {
        project: body.project.code,
        lanes: body.lanes.map((l) => l.id),
        simulate: body.devices.simulate,
        platform: body.platform.type,
      });
    });
    s.logger.info({ file: opts.configFile }, 'first-run setup saved; the core starts again with it');
    // After the answer has left: the core starts again with the new configuration.
    setTimeout(() => opts.requestReload?.(), 300).unref();
    return { ok: true, restarting: opts.requestReload !== null };
  });
}

// The first-run wizard's answers written into the configuration file. The file stays the one
// source of truth for project, lanes, devices and the platform link: the wizard edits it the
// way an installer would (comments and other entries kept), validates the result with the same
// schema the core starts with, and replaces the file atomically. PINs and the appsecret are
// never written here: they go to the store (hashed, encrypted).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import type { SiteSetupRequest } from '../shared/api-types.js';
import { parseConfig, type AppConfig } from './config.js';

type Turnstile = NonNullable<AppConfig['devices']['turnstiles']>[number];
type WizardLane = SiteSetupRequest['lanes'][number];

/**
 * The configuration's turnstiles for the wizard's lanes: lanes on the same controller (same
 * type and serial port) share one entry, each with its own in/out channels.
 */
export function turnstilesFromLanes(lanes: readonly WizardLane[]): Turnstile[] {
  const byPort = new Map<string, Turnstile>();
  for (const lane of lanes) {
    const t = lane.turnstile;
    if (t.type === 'none') continue;
    const key = `${t.type} ${t.path}`;
    let entry = byPort.get(key);
    if (!entry) {
      if (t.type === 'modbus_relay') entry = { type: 'modbus_relay', path: t.path, unit: t.unit, lanes: {} };
      else if (t.type === 'wiegand_converter') entry = { type: 'wiegand_converter', path: t.path, format: t.format, facility: t.facility, lanes: {} };
      else entry = { type: 'lcus_relay', path: t.path, lanes: {} };
      byPort.set(key, entry);
    }
    entry.lanes[lane.id] = { in: t.channels.in, out: t.channels.out };
  }
  return [...byPort.values()];
}

/** The configuration file's text with the wizard's answers applied (other entries kept). */
export function applySetupToYaml(existing: string, setup: SiteSetupRequest): string {
  const doc = parseDocument(existing);
  if (doc.errors.length > 0) throw new Error(`the configuration file cannot be parsed: ${doc.errors[0]?.message ?? ''}`);
  doc.set('demo', false);
  doc.setIn(['project', 'code'], setup.project.code);
  doc.setIn(['project', 'name'], setup.project.name);
  doc.setIn(['project', 'timeZone'], setup.project.timeZone);
  doc.set(
    'lanes',
    setup.lanes.map((l) => ({ id: l.id, name: l.name, direction: l.direction, camera: { type: 'browser' } })),
  );
  doc.setIn(['devices', 'simulate'], setup.devices.simulate);
  if (setup.devices.idCardReaderPath) doc.setIn(['devices', 'idCardReader'], { path: setup.devices.idCardReaderPath, baudRate: 115200 });
  else doc.deleteIn(['devices', 'idCardReader']);
  doc.setIn(['devices', 'turnstiles'], turnstilesFromLanes(setup.lanes));
  const p = setup.platform;
  if (p.type === 'off') doc.set('platform', { type: 'off' });
  else {
    // Variant settings an installer already put in the file (signature, cipher…) stay.
    const before = doc.get('platform');
    const keep = before && typeof before === 'object' && doc.getIn(['platform', 'type']) === 'remote';
    if (!keep) doc.set('platform', doc.createNode({ type: 'remote', endpoint: p.endpoint, appId: p.appId }));
    else {
      doc.setIn(['platform', 'endpoint'], p.endpoint);
      doc.setIn(['platform', 'appId'], p.appId);
    }
  }
  return String(doc);
}

/**
 * Writes the wizard's answers into `file` (created when absent): the new text is validated by
 * the core's own schema first, then written beside it and renamed over it, so a failure leaves
 * the old file as it was. Returns the configuration the core will start with.
 */
export function writeSetupConfig(file: string, setup: SiteSetupRequest): AppConfig {
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  // YAML reads JSON too; a JSON file is written back as JSON.
  const yamlText = applySetupToYaml(existing, setup);
  const value: unknown = parseDocument(yamlText).toJS();
  const config = parseConfig(value, file);
  const json = extname(file).toLowerCase() === '.json';
  const header = existing.trim() ? '' : '# Written by the SiteGate first-run wizard; see README "Configuration".\n';
  const text = json ? `${JSON.stringify(value, null, 2)}\n` : header + yamlText;
  const tmp = `${file}.setup-${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
  return config;
}

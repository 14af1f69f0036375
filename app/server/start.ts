// `npm start`: runs the whole appliance. Without a configuration file it starts the demo
// (simulated devices, embedded platform simulator) so a newcomer sees the three journeys.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir, loadConfigFile, parseConfig, ConfigError, type AppConfig } from './config.js';
import { startCore, REPO_ROOT, StartupError } from './core.js';
import { chooseUiHost, openUi } from './open-ui.js';
import { DEMO_PINS } from './demo-seed.js';
import { StoreError, DeviceKeyError } from '../../edge-core/src/index.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      kiosk: { type: 'boolean', default: false },
    },
  });
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const configFile = values.config ?? process.env.SITEGATE_CONFIG ?? (existsSync(join(dataDir, 'config.yaml')) ? join(dataDir, 'config.yaml') : null);
  let config: AppConfig = configFile ? loadConfigFile(configFile) : parseConfig({ demo: true });
  if (values.port) config = { ...config, server: { ...config.server, port: Number(values.port) } };
  if (config.server.lan.enabled && !(config.server.lan.tlsCertFile && config.server.lan.tlsKeyFile)) {
    throw new ConfigError(configFile ?? '(defaults)', ['server.lan: LAN access requires tlsCertFile and tlsKeyFile (TLS and login are mandatory off the local machine)']);
  }

  const core = await startCore({ config, dataDir: config.dataDir ?? dataDir });
  const lines = [
    '',
    `SiteGate ${core.services.version} ${config.demo ? '演示模式 demo mode' : ''}`,
    `  界面 UI:        ${core.url}/`,
    `  健康 Health:    ${core.url}/health`,
    `  数据 Data dir:  ${config.dataDir ?? dataDir}`,
  ];
  if (config.demo) lines.push(`  演示 PIN Demo PINs: 管理员 admin ${DEMO_PINS.admin} · 主管 supervisor ${DEMO_PINS.supervisor} · 劳务员 clerk ${DEMO_PINS.clerk}`);
  if (core.recovered) lines.push(`  ! 数据库已从备份恢复 Database restored from backup: ${core.recovered.restoredFrom ?? 'no backup, started empty'}`);
  console.log(lines.join('\n'));

  if (!values['no-open']) {
    const host = chooseUiHost();
    if (host.kind === 'none') console.log(`  (${host.reason}: open ${core.url}/ in a browser)`);
    else openUi(host, core.url, REPO_ROOT, values.kiosk);
  }

  const stop = async (signal: string) => {
    console.log(`\n${signal}: stopping…`);
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StartupError || err instanceof StoreError || err instanceof DeviceKeyError) {
    console.error(`SiteGate cannot start: ${err.message}`);
  } else {
    console.error('SiteGate cannot start:', err);
  }
  process.exit(1);
});

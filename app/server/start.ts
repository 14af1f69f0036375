// `npm start`: runs the whole appliance. Without a configuration file it starts the demo
// (simulated devices, embedded platform simulator) so a newcomer sees the three journeys.
import { REPO_ROOT } from './core.js';
import { chooseUiHost, openUi } from './open-ui.js';
import { DEMO_PINS } from './demo-seed.js';
import { bootFromArgs, exitOnStartupError, stopOnSignals } from './boot.js';

async function main(): Promise<void> {
  const { core, config, dataDir, keyDir, flags } = await bootFromArgs();
  const lines = [
    '',
    `SiteGate ${core.services.version} ${config.demo ? '演示模式 demo mode' : ''}`,
    `  界面 UI:        ${core.url}/`,
    `  健康 Health:    ${core.url}/health`,
    `  数据 Data dir:  ${dataDir}`,
    `  密钥 Key dir:   ${keyDir}`,
  ];
  if (config.demo) lines.push(`  演示 PIN Demo PINs: 管理员 admin ${DEMO_PINS.admin} · 主管 supervisor ${DEMO_PINS.supervisor} · 劳务员 clerk ${DEMO_PINS.clerk}`);
  if (core.recovered) {
    lines.push(`  ! 数据库已从备份恢复 Database restored from backup: ${core.recovered.restoredFrom ?? 'no backup, started empty'}`);
    const loss = core.recovered.loss;
    if (loss) {
      lines.push(
        `  ! 丢失 Lost since the backup: ${loss.attendanceLost} 条考勤 attendance events (其中 ${loss.attendanceOnPlatform} 条已在平台 already on the platform), ${loss.auditLost} 条审计 audit entries${loss.complete ? '' : ' — 至少 at least'}`,
      );
      if (loss.listFile) lines.push(`    清单 List: ${loss.listFile}`);
    }
  }
  console.log(lines.join('\n'));

  if (flags.open) {
    const host = chooseUiHost();
    if (host.kind === 'none') console.log(`  (${host.reason}: open ${core.url}/ in a browser)`);
    else openUi(host, core.url, REPO_ROOT, flags.kiosk);
  }
  stopOnSignals(core);
}

main().catch(exitOnStartupError);

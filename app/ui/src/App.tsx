// The kiosk UI: one page, hash-routed screens. Gate screens need no login (they run on the
// lane displays); enrollment needs a clerk, the dashboard a supervisor, settings an admin.
import type { ReactNode } from 'react';
import { I18nProvider, useI18n } from './i18n/i18n.js';
import { SessionProvider, useSession } from './lib/session.js';
import { LiveProvider } from './lib/live.js';
import { useRoute } from './lib/router.js';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { RequireRole } from './components/RequireRole.js';
import { HomeScreen } from './screens/HomeScreen.js';
import { GateScreen } from './screens/GateScreen.js';
import { EnrollScreen } from './screens/EnrollScreen.js';
import { WorkersScreen } from './screens/WorkersScreen.js';
import { DashboardScreen } from './screens/DashboardScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { ComplianceScreen } from './screens/ComplianceScreen.js';
import { CalendarScreen } from './screens/CalendarScreen.js';
import { VisitorsScreen } from './screens/VisitorsScreen.js';
import type { TextKey } from './i18n/texts.js';

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <LiveProvider>
          <Screens />
        </LiveProvider>
      </SessionProvider>
    </I18nProvider>
  );
}

function Screens() {
  const route = useRoute();
  const [first, second] = route.parts;
  if (first === 'gate') return <GateScreen laneId={second ?? 'lane-1'} />;
  let body: ReactNode;
  let title: TextKey = 'nav.home';
  switch (first) {
    case 'enroll':
      title = 'nav.enroll';
      body = (
        <RequireRole need="clerk">
          <EnrollScreen />
        </RequireRole>
      );
      break;
    case 'workers':
      title = 'nav.workers';
      body = (
        <RequireRole need="clerk">
          <WorkersScreen workerId={second ? Number(second) : null} />
        </RequireRole>
      );
      break;
    case 'dashboard':
      title = 'nav.dashboard';
      body = (
        <RequireRole need="supervisor">
          <DashboardScreen />
        </RequireRole>
      );
      break;
    case 'compliance':
      title = 'nav.compliance';
      body = (
        <RequireRole need="supervisor">
          <ComplianceScreen />
        </RequireRole>
      );
      break;
    case 'visitors':
      title = 'nav.visitors';
      body = (
        <RequireRole need="clerk">
          <VisitorsScreen />
        </RequireRole>
      );
      break;
    case 'calendar':
      title = 'nav.calendar';
      body = (
        <RequireRole need="supervisor">
          <CalendarScreen />
        </RequireRole>
      );
      break;
    case 'settings':
      title = 'nav.settings';
      body = (
        <RequireRole need="admin">
          <SettingsScreen />
        </RequireRole>
      );
      break;
    default:
      body = <HomeScreen />;
  }
  return <Frame title={title}>{body}</Frame>;
}

function Frame({ title, children }: { title: TextKey; children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const { session, logout } = useSession();
  return (
    <div className="frame">
      <header className="topbar">
        <a href="#/" className="brand">
          SiteGate
        </a>
        <h1 data-testid="screen-title">{t(title)}</h1>
        <nav>
          <a href="#/enroll">{t('nav.enroll')}</a>
          <a href="#/workers">{t('nav.workers')}</a>
          <a href="#/dashboard">{t('nav.dashboard')}</a>
          <a href="#/visitors">{t('nav.visitors')}</a>
          <a href="#/calendar">{t('nav.calendar')}</a>
          <a href="#/settings">{t('nav.settings')}</a>
        </nav>
        <button
          type="button"
          className="toggle"
          data-testid="lang"
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        >
          {lang === 'zh' ? 'English' : '中文'}
        </button>
        {session && (
          <button type="button" className="toggle" data-testid="logout" onClick={() => void logout()}>
            {session.account ? t('login.logout_person', { name: session.account.name }) : t('login.logout', { role: t(`role.${session.role}`) })}
          </button>
        )}
      </header>
      <ConnectionBanner />
      <main className="content">{children}</main>
    </div>
  );
}

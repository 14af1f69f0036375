// First-run wizard (a non-demo install with no PINs yet): PINs for the three roles, the project,
// lanes with their turnstile controllers and the ID-card reader, the provincial platform (with
// a test call), then one save. The core writes the configuration file, stores the PINs and the
// encrypted appsecret, and starts again with them; this page then shows the home screen.
// Only on the gate PC itself: the core refuses these routes from the LAN, and the screen says so.
import { useEffect, useState } from 'react';
import type { PlatformTestResponse, SerialPortInfo } from '../../../shared/api-types.js';
import { siteApi } from '../api/site.js';
import { useI18n } from '../i18n/i18n.js';
import type { TextKey } from '../i18n/texts.js';
import { Field } from '../components/Field.js';
import { ErrorText } from '../components/ErrorText.js';
import { SETUP_DONE_KEY, useSite } from '../lib/site.js';
import {
  SETUP_STEPS,
  TURNSTILE_TYPES,
  emptySetupForm,
  nextLane,
  pinProblem,
  setupBody,
  stepProblems,
  type LaneForm,
  type SetupForm,
  type SetupStep,
} from '../lib/setup-form.js';

const STEP_KEYS: Record<SetupStep, TextKey> = {
  pins: 'setup.step_pins',
  project: 'setup.step_project',
  lanes: 'setup.step_lanes',
  platform: 'setup.step_platform',
  review: 'setup.step_review',
};
const ROLE_KEYS = { clerk: 'role.clerk', supervisor: 'role.supervisor', admin: 'role.admin' } as const;


function onThisMachine(): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(location.hostname);
}

export function SetupScreen() {
  const { t } = useI18n();
  const site = useSite();
  const [step, setStep] = useState<SetupStep>('pins');
  const [form, setForm] = useState<SetupForm | null>(null);
  const [configFile, setConfigFile] = useState<string | null>(null);
  const [ports, setPorts] = useState<SerialPortInfo[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState<'no' | 'saving' | 'restarting'>('no');
  const [touched, setTouched] = useState(false);

  useEffect(() => {
    if (!onThisMachine()) return;
    Promise.all([siteApi.setupSite(), siteApi.setupStatus(), siteApi.serialPorts().catch(() => [])]).then(
      ([current, status, p]) => {
        setForm(emptySetupForm(current, status.project));
        setConfigFile(current.configFile);
        setPorts(p);
      },
      (err: unknown) => {
        setError(err);
        setForm(emptySetupForm());
      },
    );
  }, []);

  // After the save the core starts again; once it answers without the first run, go home.
  useEffect(() => {
    if (saving !== 'restarting') return;
    const i = setInterval(() => {
      siteApi.setupStatus().then(
        (s) => {
          if (!s.firstRun) {
            clearInterval(i);
            location.hash = '#/';
            site.reload();
          }
        },
        () => {},
      );
    }, 1000);
    return () => clearInterval(i);
  }, [saving, site]);

  if (!onThisMachine())
    return (
      <section className="card" data-testid="setup-lan">
        <h2>{t('setup.title')}</h2>
        <p className="banner warn">{t('setup.local_only')}</p>
      </section>
    );
  if (!form) return <p className="empty">{t('common.loading')}</p>;

  const idx = SETUP_STEPS.indexOf(step);
  const problems = new Set(stepProblems(step, form));
  const bad = (field: string) => touched && problems.has(field);
  const set = (p: Partial<SetupForm>) => setForm({ ...form, ...p });
  const next = () => {
    setTouched(true);
    if (problems.size > 0) return;
    setTouched(false);
    setStep(SETUP_STEPS[idx + 1] ?? 'review');
  };
  const save = async () => {
    setTouched(true);
    if (problems.size > 0) return;
    setSaving('saving');
    setError(null);
    try {
      await siteApi.saveSetup(setupBody(form));
      try {
        sessionStorage.setItem(SETUP_DONE_KEY, '1');
      } catch {
        /* storage disabled: no notice after the restart */
      }
      setSaving('restarting');
    } catch (err) {
      setError(err);
      setSaving('no');
    }
  };

  if (saving === 'restarting')
    return (
      <section className="card" data-testid="setup-restarting">
        <h2>{t('setup.title')}</h2>
        <p className="big">{t('setup.restarting')}</p>
      </section>
    );

  return (
    <section className="wizard setup" data-testid="setup" data-step={step}>
      <p className="banner info">{t('setup.intro')}</p>
      <ol className="steps">
        {SETUP_STEPS.map((s, i) => (
          <li key={s} className={s === step ? 'current' : i < idx ? 'past' : ''}>
            <span className="num">{i + 1}</span> {t(STEP_KEYS[s])}
          </li>
        ))}
      </ol>
      {step === 'pins' && <PinsStep form={form} set={set} bad={bad} />}
      {step === 'project' && (
        <div className="form-grid" data-testid="setup-project">
          <Field label={t('setup.project_code')} error={bad('projectCode') ? t('makeup.required') : undefined}>
            <input data-testid="setup-project-code" value={form.projectCode} onChange={(e) => set({ projectCode: e.target.value })} />
          </Field>
          <Field label={t('setup.project_name')} error={bad('projectName') ? t('makeup.required') : undefined}>
            <input data-testid="setup-project-name" value={form.projectName} onChange={(e) => set({ projectName: e.target.value })} />
          </Field>
          <Field label={t('setup.time_zone')}>
            <select data-testid="setup-time-zone" value={form.timeZone} onChange={(e) => set({ timeZone: e.target.value })}>
              <option value="Asia/Shanghai">{t('setup.tz_shanghai')}</option>
              <option value="Asia/Urumqi">{t('setup.tz_urumqi')}</option>
            </select>
          </Field>
        </div>
      )}
      {step === 'lanes' && <LanesStep form={form} set={set} bad={bad} ports={ports} />}
      {step === 'platform' && <PlatformStep form={form} set={set} bad={bad} />}
      {step === 'review' && (
        <div data-testid="setup-review">
          <dl className="review">
            <dt>{t('setup.step_pins')}</dt>
            <dd>{(['clerk', 'supervisor', 'admin'] as const).map((r) => t(ROLE_KEYS[r])).join('、')}</dd>
            <dt>{t('setup.step_project')}</dt>
            <dd>
              {form.projectName} <span data-verbatim>{form.projectCode}</span>
            </dd>
            <dt>{t('setup.step_lanes')}</dt>
            <dd>
              {t('setup.review_lanes', { n: form.lanes.length })}：{form.lanes.map((l) => `${l.name}（${l.direction === 'in' ? t('gate.in') : t('gate.out')}）`).join('、')}
              {form.simulate ? ` · ${t('setup.simulate')}` : ''}
            </dd>
            <dt>{t('setup.step_platform')}</dt>
            <dd>
              {form.platform === 'off' ? (
                t('setup.platform_off')
              ) : (
                <>
                  {t('setup.platform_remote')} <span data-verbatim>{form.endpoint}</span> · {t('setup.secret_kept')}
                </>
              )}
            </dd>
          </dl>
          {configFile && (
            <p className="small">
              {t('setup.config_file')} <span data-verbatim>{configFile}</span>
            </p>
          )}
        </div>
      )}
      <ErrorText error={error} testId="setup-error" />
      <div className="actions">
        {idx > 0 && (
          <button type="button" className="secondary" onClick={() => setStep(SETUP_STEPS[idx - 1] ?? 'pins')}>
            {t('common.back')}
          </button>
        )}
        {step === 'review' ? (
          <button type="button" className="primary" data-testid="setup-save" disabled={saving !== 'no'} onClick={() => void save()}>
            {saving === 'saving' ? t('setup.saving') : t('setup.save')}
          </button>
        ) : (
          <button type="button" className="primary" data-testid="setup-next" onClick={next}>
            {t('common.next')}
          </button>
        )}
      </div>
      {touched && problems.has('pins.differ') && step === 'pins' && <p className="error">{t('setup.pins_differ')}</p>}
    </section>
  );
}

type StepProps = { form: SetupForm; set(p: Partial<SetupForm>): void; bad(field: string): boolean };

function PinsStep({ form, set, bad }: StepProps) {
  const { t } = useI18n();
  const pinError = (pin: string, field: string) => {
    if (!bad(field) && !pin) return undefined;
    const p = pinProblem(pin);
    if (p === 'demo') return t('setup.pin_demo');
    if (p && (bad(field) || pin.length >= 6)) return t('settings.pin_shape');
    return undefined;
  };
  return (
    <div data-testid="setup-pins">
      <p className="small">{t('setup.pin_hint')}</p>
      <div className="form-grid">
        {(['clerk', 'supervisor', 'admin'] as const).map((r) => (
          <div key={r} className="pin-pair">
            <Field label={t(ROLE_KEYS[r])} error={pinError(form.pins[r], `pins.${r}`)}>
              <input
                type="password"
                inputMode="numeric"
                autoComplete="new-password"
                data-testid={`setup-pin-${r}`}
                placeholder={t('settings.new_pin')}
                value={form.pins[r]}
                onChange={(e) => set({ pins: { ...form.pins, [r]: e.target.value.replace(/\D/g, '').slice(0, 12) } })}
              />
            </Field>
            <Field
              label={t('settings.repeat_pin')}
              error={form.repeat[r] && form.repeat[r] !== form.pins[r] ? t('settings.pin_mismatch') : bad(`repeat.${r}`) ? t('makeup.required') : undefined}
            >
              <input
                type="password"
                inputMode="numeric"
                autoComplete="new-password"
                data-testid={`setup-pin-${r}-repeat`}
                value={form.repeat[r]}
                onChange={(e) => set({ repeat: { ...form.repeat, [r]: e.target.value.replace(/\D/g, '').slice(0, 12) } })}
              />
            </Field>
          </div>
        ))}
      </div>
    </div>
  );
}

function LanesStep({ form, set, bad, ports }: StepProps & { ports: SerialPortInfo[] }) {
  const { t } = useI18n();
  const setLane = (i: number, p: Partial<LaneForm>) => set({ lanes: form.lanes.map((l, j) => (j === i ? { ...l, ...p } : l)) });
  return (
    <div data-testid="setup-lanes">
      <datalist id="setup-ports">
        {ports.map((p) => (
          <option key={p.path} value={p.path}>
            {p.manufacturer ?? ''}
          </option>
        ))}
      </datalist>
      <label className="check wide-check">
        <input type="checkbox" data-testid="setup-simulate" checked={form.simulate} onChange={(e) => set({ simulate: e.target.checked })} /> {t('setup.simulate')}
      </label>
      {ports.length === 0 && !form.simulate && (
        <p className="small" data-testid="setup-no-ports">
          {t('setup.no_ports')} <code data-verbatim>/dev/ttyUSB0</code> <code data-verbatim>COM3</code>
        </p>
      )}
      {!form.simulate && (
        <div className="form-grid">
          <Field label={t('setup.reader')} hint={form.readerPath ? undefined : t('setup.reader_none')}>
            <input list="setup-ports" data-testid="setup-reader" data-verbatim placeholder={t('setup.port_choose')} value={form.readerPath} onChange={(e) => set({ readerPath: e.target.value })} />
          </Field>
        </div>
      )}
      {form.lanes.map((l, i) => (
        <fieldset key={i} className="lane-form" data-testid="setup-lane">
          <legend>{t('setup.lane', { n: i + 1 })}</legend>
          <div className="form-grid">
            <Field label={t('settings.lane_name')} error={bad(`lanes.${i}.name`) ? t('makeup.required') : undefined}>
              <input data-testid={`setup-lane-name-${i}`} value={l.name} onChange={(e) => setLane(i, { name: e.target.value })} />
            </Field>
            <Field label={t('settings.lane_direction')}>
              <select data-testid={`setup-lane-direction-${i}`} value={l.direction} onChange={(e) => setLane(i, { direction: e.target.value === 'out' ? 'out' : 'in' })}>
                <option value="in">{t('gate.in')}</option>
                <option value="out">{t('gate.out')}</option>
              </select>
            </Field>
            {!form.simulate && (
              <Field label={t('setup.turnstile')}>
                <select data-testid={`setup-lane-turnstile-${i}`} value={l.turnstile} onChange={(e) => setLane(i, { turnstile: e.target.value as LaneForm['turnstile'] })}>
                  {TURNSTILE_TYPES.map((x) => (
                    <option key={x} value={x}>
                      {t(`setup.turnstile_${x}` as TextKey)}
                    </option>
                  ))}
                </select>
              </Field>
            )}
            {!form.simulate && l.turnstile !== 'none' && (
              <>
                <Field label={t('setup.port')} error={bad(`lanes.${i}.path`) ? t('makeup.required') : undefined}>
                  <input list="setup-ports" data-testid={`setup-lane-port-${i}`} data-verbatim placeholder={t('setup.port_choose')} value={l.path} onChange={(e) => setLane(i, { path: e.target.value })} />
                </Field>
                <Field label={t('setup.channel_in')} error={bad(`lanes.${i}.channelIn`) ? t('makeup.required') : undefined}>
                  <input inputMode="numeric" value={l.channelIn} onChange={(e) => setLane(i, { channelIn: e.target.value.replace(/\D/g, '').slice(0, 5) })} />
                </Field>
                <Field label={t('setup.channel_out')} error={bad(`lanes.${i}.channelOut`) ? t('makeup.required') : undefined}>
                  <input inputMode="numeric" value={l.channelOut} onChange={(e) => setLane(i, { channelOut: e.target.value.replace(/\D/g, '').slice(0, 5) })} />
                </Field>
              </>
            )}
          </div>
          {form.lanes.length > 1 && (
            <button type="button" className="secondary" onClick={() => set({ lanes: form.lanes.filter((_, j) => j !== i) })}>
              {t('common.remove')}
            </button>
          )}
        </fieldset>
      ))}
      <button type="button" className="secondary" data-testid="setup-add-lane" onClick={() => set({ lanes: [...form.lanes, nextLane(form.lanes)] })}>
        {t('setup.add_lane')}
      </button>
    </div>
  );
}

function PlatformStep({ form, set, bad }: StepProps) {
  const { t, pick } = useI18n();
  const [test, setTest] = useState<PlatformTestResponse | 'busy' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setTest('busy');
    setError(null);
    try {
      setTest(await siteApi.platformTest({ endpoint: form.endpoint.trim(), appId: form.appId.trim(), appsecret: form.appsecret, projectCode: form.projectCode.trim() }));
    } catch (err) {
      setTest(null);
      setError(err);
    }
  };
  return (
    <div data-testid="setup-platform">
      <div className="segmented" role="radiogroup">
        {(['remote', 'off'] as const).map((p) => (
          <button key={p} type="button" className={form.platform === p ? 'toggle on' : 'toggle'} aria-pressed={form.platform === p} data-testid={`setup-platform-${p}`} onClick={() => set({ platform: p })}>
            {t(p === 'remote' ? 'setup.platform_remote' : 'setup.platform_off')}
          </button>
        ))}
      </div>
      {form.platform === 'remote' && (
        <>
          <div className="form-grid">
            <Field label={t('setup.endpoint')} error={bad('endpoint') ? t('makeup.required') : undefined}>
              <input data-testid="setup-endpoint" data-verbatim inputMode="url" placeholder="https://" value={form.endpoint} onChange={(e) => set({ endpoint: e.target.value })} />
            </Field>
            <Field label={t('setup.app_id')} error={bad('appId') ? t('makeup.required') : undefined}>
              <input data-testid="setup-app-id" value={form.appId} onChange={(e) => set({ appId: e.target.value })} />
            </Field>
            <Field label={t('settings.appsecret')} hint={t('setup.secret_kept')} error={bad('appsecret') ? t('settings.appsecret_short') : undefined}>
              <input type="password" autoComplete="new-password" data-testid="setup-appsecret" value={form.appsecret} onChange={(e) => set({ appsecret: e.target.value })} />
            </Field>
          </div>
          <button
            type="button"
            className="secondary"
            data-testid="setup-test"
            disabled={test === 'busy' || stepProblems('platform', form).length > 0}
            onClick={() => void run()}
          >
            {test === 'busy' ? t('setup.testing') : t('setup.test')}
          </button>
          {test && test !== 'busy' && (
            <p className={test.ok ? 'ok' : 'error'} data-testid="setup-test-result" data-ok={String(test.ok)}>
              {test.ok ? t('setup.test_ok', { ms: test.ms, teams: test.teams ?? 0 }) : t('setup.test_failed', { why: pick(test.message) })}
            </p>
          )}
          <ErrorText error={error} />
        </>
      )}
    </div>
  );
}

// The kiosk's own date, month and date-time fields. Native <input type="date"> follows the
// browser's locale (mm/dd/yyyy and "December 2026" on an English Windows), so these fields
// show the value as 2026-12-01 / 2026-12 / 2026-12-01 08:00, accept it typed (also 2026/12/1,
// 2026年12月1日), and open a calendar headed 2026年12月 with 日 一 二 … 六, in the UI's own
// language. The value given to `onChange` is the native inputs' shape ('YYYY-MM-DD',
// 'YYYY-MM', 'YYYY-MM-DDTHH:mm'), or '' while the text is empty or not a real date.
import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import {
  WEEKDAYS_EN,
  WEEKDAYS_ZH,
  isoDate,
  monthGrid,
  monthTitle,
  normalizeTyped,
  parseValue,
  shiftYearMonth,
  type DateKind,
  type YearMonth,
} from '../lib/calendar.js';

const shown = (kind: DateKind, value: string) => (kind === 'datetime' ? value.replace('T', ' ') : value);
const PLACEHOLDER: Record<DateKind, string> = {
  date: '2026-03-01',
  month: '2026-03',
  datetime: '2026-03-01 08:00',
};

function today(): YearMonth & { day: number } {
  const d = new Date();
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
}

export function DateInput({
  kind = 'date',
  value,
  onChange,
  disabled,
  testId,
  min,
}: {
  kind?: DateKind;
  value: string;
  onChange(v: string): void;
  disabled?: boolean;
  testId?: string;
  /** Earliest selectable value (same shape as `value`). */
  min?: string;
}) {
  const { t, lang } = useI18n();
  const [text, setText] = useState(() => shown(kind, value));
  const [open, setOpen] = useState(false);
  const parsed = parseValue(kind, value);
  const [view, setView] = useState<YearMonth>(() => (parsed ? { year: parsed.year, month: parsed.month } : today()));
  const box = useRef<HTMLDivElement | null>(null);
  const popId = useId();

  // A value set from outside (restored draft, reset form) replaces the text; the values this
  // field emitted itself do not (half-typed text stays as typed).
  const emitted = useRef<string | null>(null);
  useEffect(() => {
    if (value === emitted.current) return;
    emitted.current = null;
    setText(shown(kind, value));
  }, [value, kind]);
  const emit = (v: string) => {
    emitted.current = v;
    onChange(v);
  };

  useEffect(() => {
    if (!open) return;
    const close = (e: PointerEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);

  const typed = (s: string) => {
    setText(s);
    const n = normalizeTyped(kind, s);
    emit(s.trim() === '' ? '' : parseValue(kind, n) ? n : '');
  };
  const pick = (v: string) => {
    setText(shown(kind, v));
    emit(v);
    if (kind !== 'datetime') setOpen(false);
  };
  const invalid = text.trim() !== '' && !parseValue(kind, normalizeTyped(kind, text));
  const time = parsed?.time ?? '08:00';
  const now = today();

  return (
    <div className={`date-input${invalid ? ' invalid' : ''}`} ref={box}>
      <div className="inline">
        <input
          type="text"
          data-testid={testId}
          data-kind={kind}
          value={text}
          disabled={disabled}
          autoComplete="off"
          placeholder={PLACEHOLDER[kind]}
          aria-invalid={invalid}
          onChange={(e) => typed(e.target.value)}
        />
        <button
          type="button"
          className="secondary calendar-button"
          disabled={disabled}
          aria-expanded={open}
          aria-controls={popId}
          data-testid={testId ? `${testId}-open` : undefined}
          onClick={() => {
            if (parsed) setView({ year: parsed.year, month: parsed.month });
            setOpen(!open);
          }}
        >
          {t('date.pick')}
        </button>
      </div>
      {invalid && <span className="field-error">{t(kind === 'month' ? 'date.bad_month' : kind === 'date' ? 'date.bad_date' : 'date.bad_datetime')}</span>}
      {open && (
        <div className="calendar" id={popId} role="dialog" data-testid={testId ? `${testId}-calendar` : 'calendar'}>
          <div className="calendar-head">
            <button type="button" className="secondary" onClick={() => setView(shiftYearMonth(view, kind === 'month' ? -12 : -1))} aria-label={t('date.previous')}>
              ‹
            </button>
            <strong data-testid="calendar-title">{kind === 'month' ? (lang === 'zh' ? `${view.year}年` : String(view.year)) : monthTitle(view, lang)}</strong>
            <button type="button" className="secondary" onClick={() => setView(shiftYearMonth(view, kind === 'month' ? 12 : 1))} aria-label={t('date.next')}>
              ›
            </button>
          </div>
          {kind === 'month' ? (
            <div className="calendar-months">
              {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => {
                const v = `${view.year}-${String(m).padStart(2, '0')}`;
                return (
                  <button type="button" key={m} className={v === value ? 'toggle on' : 'toggle'} disabled={min !== undefined && v < min} onClick={() => pick(v)}>
                    {lang === 'zh' ? `${m}月` : monthTitle({ year: view.year, month: m }, 'en').slice(0, 3)}
                  </button>
                );
              })}
            </div>
          ) : (
            <table className="calendar-grid">
              <thead>
                <tr>
                  {(lang === 'zh' ? WEEKDAYS_ZH : WEEKDAYS_EN).map((d) => (
                    <th key={d}>{d}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {monthGrid(view).map((week, w) => (
                  <tr key={w}>
                    {week.map((day, i) => {
                      if (day === null) return <td key={i} />;
                      const date = isoDate(view.year, view.month, day);
                      const v = kind === 'date' ? date : `${date}T${time}`;
                      const selected = parsed !== null && parsed.day === day && parsed.month === view.month && parsed.year === view.year;
                      const isToday = now.year === view.year && now.month === view.month && now.day === day;
                      return (
                        <td key={i}>
                          <button
                            type="button"
                            className={`day${selected ? ' on' : ''}${isToday ? ' today' : ''}`}
                            disabled={min !== undefined && date < min.slice(0, 10)}
                            onClick={() => pick(v)}
                          >
                            {day}
                          </button>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {kind === 'datetime' && (
            <div className="calendar-time">
              <span>{t('date.time')}</span>
              <select
                value={time.slice(0, 2)}
                aria-label={t('date.hour')}
                onChange={(e) => parsed && pick(`${isoDate(parsed.year, parsed.month, parsed.day ?? 1)}T${e.target.value}:${time.slice(3)}`)}
              >
                {Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')).map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
              :
              <select
                value={time.slice(3)}
                aria-label={t('date.minute')}
                onChange={(e) => parsed && pick(`${isoDate(parsed.year, parsed.month, parsed.day ?? 1)}T${time.slice(0, 2)}:${e.target.value}`)}
              >
                {Array.from({ length: 12 }, (_, i) => String(i * 5).padStart(2, '0')).map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
                {!/^(?:[0-5][05])$/.test(time.slice(3)) && <option value={time.slice(3)}>{time.slice(3)}</option>}
              </select>
              <button type="button" className="primary" onClick={() => setOpen(false)}>
                {t('common.ok_button')}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

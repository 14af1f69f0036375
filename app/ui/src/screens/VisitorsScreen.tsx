// 访客登记 (#/visitors, clerk): issue a visitor pass (name, host, purpose, validity, entries,
// escort, optionally the ID card on the reader), show its QR code and print it; list passes
// and revoke one with a reason. The lane's QR scanner admits the visitor (core side).
import { useCallback, useEffect, useState } from 'react';
import { visitorsApi, type VisitorPassView } from '../api/visitors.js';
import { useI18n } from '../i18n/i18n.js';
import { defaultWindow, fromLocalInput, parseMaxEntries } from '../lib/visitor-form.js';
import { ErrorText } from '../components/ErrorText.js';
import { Field } from '../components/Field.js';
import { VisitorPassCard } from '../components/VisitorPassCard.js';
import '../siteops.css';

export function VisitorsScreen() {
  const { t, lang } = useI18n();
  const initial = defaultWindow(Date.now());
  const [name, setName] = useState('');
  const [host, setHost] = useState('');
  const [purpose, setPurpose] = useState('');
  const [phone, setPhone] = useState('');
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [entries, setEntries] = useState('');
  const [escort, setEscort] = useState(false);
  const [card, setCard] = useState<{ readId: string; idNumberMasked: string } | null>(null);
  const [cardMsg, setCardMsg] = useState<string | null>(null);
  const [passes, setPasses] = useState<VisitorPassView[]>([]);
  const [all, setAll] = useState(false);
  const [shown, setShown] = useState<VisitorPassView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    visitorsApi.list(all ? 'all' : 'active').then(setPasses, setError);
  }, [all]);
  useEffect(load, [load]);

  const validFrom = fromLocalInput(from);
  const validTo = fromLocalInput(to);
  const maxEntries = parseMaxEntries(entries);
  const windowBad = validFrom !== null && validTo !== null && validTo <= validFrom;
  const ready = name.trim() && host.trim() && purpose.trim() && validFrom !== null && validTo !== null && !windowBad && maxEntries !== undefined && !busy;

  const useCard = async () => {
    setCardMsg(null);
    try {
      const r = await visitorsApi.card();
      if (!r.card) {
        setCardMsg(t('visitors.card_none'));
        return;
      }
      setCard({ readId: r.card.readId, idNumberMasked: r.card.idNumberMasked });
      if (!name.trim()) setName(r.card.name);
    } catch (err) {
      setError(err);
    }
  };

  const issue = async () => {
    if (!ready || validFrom === null || validTo === null || maxEntries === undefined) return;
    setBusy(true);
    setError(null);
    try {
      const pass = await visitorsApi.issue({
        name: name.trim(),
        host: host.trim(),
        purpose: purpose.trim(),
        phone: phone.trim() || null,
        validFrom,
        validTo,
        maxEntries,
        escortRequired: escort,
        readId: card?.readId ?? null,
      });
      setShown(pass);
      setName('');
      setPhone('');
      setCard(null);
      load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (p: VisitorPassView) => {
    const reason = window.prompt(t('visitors.revoke_reason'));
    if (!reason?.trim()) return;
    try {
      const r = await visitorsApi.revoke(p.id, reason.trim());
      if (shown?.id === p.id) setShown(r);
      load();
    } catch (err) {
      setError(err);
    }
  };

  const fmt = (ms: number) => new Date(ms).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
  return (
    <div className="visitors" data-testid="visitors">
      <div className="grid2">
        <section className="card no-print">
          <h2>{t('visitors.issue')}</h2>
          <div className="form-grid">
            <Field label={t('visitors.name')}>
              <input data-testid="visitor-name" maxLength={50} value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field label={t('visitors.host')}>
              <input data-testid="visitor-host" maxLength={50} value={host} onChange={(e) => setHost(e.target.value)} />
            </Field>
            <Field label={t('visitors.purpose')} wide>
              <input data-testid="visitor-purpose" maxLength={100} value={purpose} onChange={(e) => setPurpose(e.target.value)} />
            </Field>
            <Field label={t('visitors.phone')}>
              <input data-testid="visitor-phone" inputMode="tel" maxLength={11} value={phone} onChange={(e) => setPhone(e.target.value)} />
            </Field>
            <Field label={t('visitors.max_entries')} error={maxEntries === undefined ? '1–100' : undefined}>
              <input data-testid="visitor-entries" inputMode="numeric" value={entries} onChange={(e) => setEntries(e.target.value)} />
            </Field>
            <Field label={t('visitors.from')}>
              <input type="datetime-local" data-testid="visitor-from" value={from} onChange={(e) => setFrom(e.target.value)} />
            </Field>
            <Field label={t('visitors.to')} error={windowBad ? t('visitors.bad_window') : undefined}>
              <input type="datetime-local" data-testid="visitor-to" value={to} onChange={(e) => setTo(e.target.value)} />
            </Field>
          </div>
          <label className="check">
            <input type="checkbox" data-testid="visitor-escort" checked={escort} onChange={(e) => setEscort(e.target.checked)} />
            {t('visitors.escort')}
          </label>
          <p>
            <button type="button" className="button secondary" data-testid="visitor-use-card" onClick={() => void useCard()}>
              {t('visitors.use_card')}
            </button>{' '}
            {card && <span className="tag ok">{t('visitors.card_used', { id: card.idNumberMasked })}</span>}
            {cardMsg && <span className="tag warn">{cardMsg}</span>}
          </p>
          <button type="button" className="button primary" data-testid="visitor-issue" disabled={!ready} onClick={() => void issue()}>
            {t('visitors.submit')}
          </button>
          <ErrorText error={error} />
        </section>
        {shown && (
          <section className="card">
            <VisitorPassCard pass={shown} />
            <button type="button" className="button primary no-print" data-testid="visitor-print" onClick={() => window.print()}>
              {t('visitors.print')}
            </button>
          </section>
        )}
      </div>
      <section className="card no-print" data-testid="visitor-list">
        <div className="card-head">
          <h2>{t('visitors.list')}</h2>
          <label className="check">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            {t('visitors.show_all')}
          </label>
        </div>
        <table className="list">
          <tbody>
            {passes.map((p) => (
              <tr key={p.id} data-testid="visitor-row">
                <td>{p.name}</td>
                <td>{p.host}</td>
                <td>{p.purpose}</td>
                <td>
                  {fmt(p.validFrom)} – {fmt(p.validTo)}
                </td>
                <td>{t('visitors.entries', { n: p.entriesUsed })}</td>
                <td className={p.state === 'active' ? 'ok' : 'bad'}>{t(`visitors.state.${p.state}`)}</td>
                <td>
                  <button type="button" className="button secondary" onClick={() => setShown(p)}>
                    {t('visitors.show')}
                  </button>{' '}
                  {p.state !== 'revoked' && p.state !== 'expired' && (
                    <button type="button" className="button secondary" data-testid="visitor-revoke" onClick={() => void revoke(p)}>
                      {t('visitors.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

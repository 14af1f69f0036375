// Step 1: the ID card. Waits for a read from the card reader; manual entry is an exception
// that is flagged on the record (manualEntry: true) and audited by the core.
import { useEffect, useRef, useState } from 'react';
import type { Bilingual } from '../../../../shared/i18n/messages.js';
import { useLiveEvents } from '../../lib/live.js';
import { currentCard, cardPhotoUrl, type CardSummary } from '../../api/gate.js';
import { useI18n } from '../../i18n/i18n.js';
import { isValidResidentId, birthDateOf } from '../../lib/id-number.js';
import { emptyIdentity, type EnrollDraft, type Identity } from './draft.js';
import { Field } from '../../components/Field.js';
import { DemoCardPicker } from '../../components/DemoCardPicker.js';
import { DateInput } from '../../components/DateInput.js';
import { siteApi } from '../../api/site.js';
import { useSite } from '../../lib/site.js';
import type { IdLookupResponse } from '../../../../shared/api-types.js';

type Enrolled = NonNullable<IdLookupResponse['enrolled']>;

/**
 * Asks the core whether this ID is already enrolled (a held card read, or a typed number) as
 * soon as it is known, so a duplicate is caught here and not at the final save.
 */
function useAlreadyEnrolled(what: { readId: string } | { idType: string; idNumber: string } | null): Enrolled | null {
  const [found, setFound] = useState<Enrolled | null>(null);
  const key = what ? ('readId' in what ? what.readId : `${what.idType}:${what.idNumber}`) : '';
  useEffect(() => {
    setFound(null);
    if (!what) return;
    let alive = true;
    const ask = 'readId' in what ? siteApi.cardEnrolled(what.readId) : siteApi.lookupId(what.idType, what.idNumber);
    ask.then(
      (r) => alive && setFound(r.enrolled),
      () => {},
    );
    return () => {
      alive = false;
    };
    // `key` identifies `what`.
  }, [key]);
  return found;
}

function AlreadyEnrolled({ w }: { w: Enrolled }) {
  const { t } = useI18n();
  return (
    <div className="banner warn" role="alert" data-testid="already-enrolled">
      <p className="big">{t('enroll.already_enrolled', { name: w.name, team: w.teamName ? `（${w.teamName}）` : '' })}</p>
      <p>{t('enroll.already_enrolled_do')}</p>
      <a className="button secondary" href={`#/workers/${w.workerId}`} data-testid="open-enrolled">
        {t('enroll.open_worker')}
      </a>
    </div>
  );
}

type ReaderState =
  | { kind: 'polling' }
  | { kind: 'no_reader'; detail?: string }
  | { kind: 'waiting' }
  | { kind: 'error' };

export function CardStep({
  draft,
  update,
  cardPhoto,
  setCardPhoto,
  next,
}: {
  draft: EnrollDraft;
  update(p: Partial<EnrollDraft>): void;
  cardPhoto: string | null;
  setCardPhoto(p: string | null): void;
  next(): void;
}) {
  const { t, pick } = useI18n();
  const site = useSite();
  const [reader, setReader] = useState<ReaderState>({ kind: 'polling' });
  const [cardError, setCardError] = useState<{ message: Bilingual; replace: boolean } | null>(null);
  const pollNow = useRef<() => void>(() => {});
  const photoFor = useRef<string | null>(null);
  // The core announces reads and read errors; polling (1 s) is the fallback.
  useLiveEvents((e) => {
    if (e.type === 'card.read') {
      setCardError(null);
      pollNow.current();
    } else if (e.type === 'card.error') setCardError({ message: e.message, replace: e.action === 'replace_card' });
    else if (e.type === 'card.removed') setCardError((c) => (c?.replace ? c : null));
  });
  const manual = draft.source === 'manual';

  useEffect(() => {
    if (manual) return;
    let alive = true;
    const poll = async () => {
      try {
        const r = await currentCard();
        if (!alive) return;
        if (!r.readerPresent) return setReader({ kind: 'no_reader' });
        setReader({ kind: 'waiting' });
        const card = r.card;
        if (card && card.readId !== draft.cardReadId) take(card);
      } catch {
        if (alive) setReader({ kind: 'error' });
      }
    };
    const take = (c: CardSummary) => {
      setCardPhoto(null);
      photoFor.current = c.readId;
      // Not tied to this effect's life: taking the card changes draft.cardReadId, which ends
      // this effect before the photo arrives. The photo is kept if the read is still the one shown.
      if (c.photo === 'decoded')
        void cardPhotoUrl(c.readId).then((u) => {
          if (photoFor.current === c.readId) setCardPhoto(u);
          else if (u) URL.revokeObjectURL(u);
        });
      // The core keeps the full read; the UI holds the masked summary and the readId only.
      update({ source: 'card', cardReadId: c.readId, card: c, identity: null, face: null, sessionId: null });
    };
    pollNow.current = () => void poll();
    void poll();
    const i = setInterval(() => void poll(), 1000);
    return () => {
      alive = false;
      clearInterval(i);
    };
  }, [manual, draft.cardReadId, update, setCardPhoto]);

  const id = draft.source === 'card' ? draft.card : null;
  const enrolled = useAlreadyEnrolled(id ? { readId: id.readId } : null);
  if (manual) return <ManualEntry draft={draft} update={update} next={next} />;

  return (
    <div className="step" data-testid="step-card">
      {!id && (
        <div className="card-wait" data-testid="card-wait">
          <p className="big">
            {reader.kind === 'waiting' || reader.kind === 'polling'
              ? t('enroll.card_place')
              : reader.kind === 'no_reader'
                ? t('enroll.card_no_reader')
                : t('enroll.card_error')}
          </p>
          {reader.kind === 'no_reader' && reader.detail && <p className="small">{reader.detail}</p>}
          {cardError && (
            <div className="error" role="alert" data-testid="card-error" data-action={cardError.replace ? 'replace_card' : undefined}>
              {cardError.replace && <p className="big">{t('enroll.card_replace')}</p>}
              <p>{pick(cardError.message)}</p>
            </div>
          )}
        </div>
      )}
      {id && (
        <div className="card-read" data-testid="card-read">
          {cardPhoto ? (
            <img className="id-photo" src={cardPhoto} alt={t('enroll.id_photo')} />
          ) : (
            <div className="id-photo none">
              {id.photo === 'none' ? t('enroll.card_no_photo') : t('enroll.photo_after_reload')}
            </div>
          )}
          <dl>
            <dt>{t('field.name')}</dt>
            <dd data-testid="card-name">{id.name}</dd>
            <dt>{t('field.idNumber')}</dt>
            <dd data-testid="card-id">{id.idNumberMasked}</dd>
            <dt>{t('field.nation')}</dt>
            <dd>{id.nation}</dd>
            <dt>{t('field.validTo')}</dt>
            <dd>{id.longTerm || !id.validTo ? t('field.long_term') : id.validTo}</dd>
          </dl>
        </div>
      )}
      {id && enrolled && <AlreadyEnrolled w={enrolled} />}
      {site.demo && <DemoCardPicker />}

      <div className="actions">
        <button
          type="button"
          className="secondary"
          data-testid="manual-entry"
          onClick={() =>
            update({
              source: 'manual',
              cardReadId: null,
              card: null,
              identity: draft.identity ?? emptyIdentity(),
              face: null,
            })
          }
        >
          {t('enroll.manual_button')}
        </button>
        <button type="button" className="primary" disabled={!id || enrolled !== null} onClick={next} data-testid="next">
          {t('common.next')}
        </button>
      </div>
    </div>
  );
}

function ManualEntry({
  draft,
  update,
  next,
}: {
  draft: EnrollDraft;
  update(p: Partial<EnrollDraft>): void;
  next(): void;
}) {
  const { t } = useI18n();
  const id = draft.identity ?? emptyIdentity();
  const set = (p: Partial<Identity>) => update({ identity: { ...id, ...p } });
  const idOk = id.idType !== '01' || isValidResidentId(id.idNumber);
  const complete = id.idNumber.trim().length >= 6 && idOk;
  const enrolled = useAlreadyEnrolled(complete ? { idType: id.idType, idNumber: id.idNumber.trim() } : null);
  const valid = id.name.trim().length > 0 && complete && enrolled === null;
  return (
    <div className="step" data-testid="step-card-manual">
      <p className="banner warn" data-testid="manual-flag">
        {t('enroll.manual_flag')}
      </p>
      <div className="form-grid">
        <Field label={t('field.name')}>
          <input data-testid="f-name" value={id.name} onChange={(e) => set({ name: e.target.value })} />
        </Field>
        <Field label={t('field.idType')}>
          <select value={id.idType} onChange={(e) => set({ idType: e.target.value as Identity['idType'] })}>
            <option value="01">{t('idtype.01')}</option>
            <option value="08">{t('idtype.08')}</option>
            <option value="10">{t('idtype.10')}</option>
            <option value="12">{t('idtype.12')}</option>
          </select>
        </Field>
        <Field
          label={t('field.idNumber')}
          error={!idOk && id.idNumber.length >= 18 ? t('enroll.id_invalid') : undefined}
        >
          <input
            data-testid="f-idNumber"
            value={id.idNumber}
            autoComplete="off"
            onChange={(e) => {
              const v = e.target.value.toUpperCase().replace(/\s/g, '');
              set({ idNumber: v, birthDate: birthDateOf(v) ?? id.birthDate });
            }}
          />
        </Field>
        {enrolled && (
          <div className="wide">
            <AlreadyEnrolled w={enrolled} />
          </div>
        )}
        <Field label={t('field.sex')}>
          <select value={id.sex} onChange={(e) => set({ sex: e.target.value as Identity['sex'] })}>
            <option value="M">{t('sex.M')}</option>
            <option value="F">{t('sex.F')}</option>
            <option value="U">{t('sex.U')}</option>
          </select>
        </Field>
        <Field label={t('field.nation')}>
          <input value={id.nation} onChange={(e) => set({ nation: e.target.value })} />
        </Field>
        <Field label={t('field.birthDate')}>
          <DateInput value={id.birthDate} onChange={(v) => set({ birthDate: v })} testId="f-birthDate" />
        </Field>
        <Field label={t('field.address')} wide>
          <input value={id.address} onChange={(e) => set({ address: e.target.value })} />
        </Field>
        <Field label={t('field.validFrom')}>
          <DateInput value={id.validFrom} onChange={(v) => set({ validFrom: v })} testId="f-validFrom" />
        </Field>
        <Field label={t('field.validTo')} hint={t('field.validTo_hint')}>
          <DateInput value={id.validTo} onChange={(v) => set({ validTo: v })} testId="f-validTo" />
        </Field>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => update({ source: null, identity: null })}>
          {t('enroll.back_to_reader')}
        </button>
        <button type="button" className="primary" disabled={!valid} onClick={next} data-testid="next">
          {t('common.next')}
        </button>
      </div>
    </div>
  );
}

// Step 4: labour contract and insurance dates, optional bank card (工资卡) for wage payment.
import { useI18n } from '../../i18n/i18n.js';
import { Field } from '../../components/Field.js';
import { DateInput } from '../../components/DateInput.js';
import type { EnrollDraft } from './draft.js';

export function termsProblem(
  d: EnrollDraft,
): 'contract_dates_missing' | 'contract_dates' | 'insurance_dates' | 'bank_card' | null {
  // A signed contract without its dates would be saved as "? – ?" and flagged yellow later.
  if (d.hasContract && (!d.contractStart || !d.contractEnd)) return 'contract_dates_missing';
  if (d.hasContract && d.contractStart && d.contractEnd && d.contractEnd < d.contractStart)
    return 'contract_dates';
  if (d.hasInsurance && d.insuranceStart && d.insuranceEnd && d.insuranceEnd < d.insuranceStart)
    return 'insurance_dates';
  if (d.bankCard && !/^\d{12,19}$/.test(d.bankCard.replace(/\s/g, ''))) return 'bank_card';
  return null;
}

export function TermsStep({
  draft,
  update,
  next,
  back,
}: {
  draft: EnrollDraft;
  update(p: Partial<EnrollDraft>): void;
  next(): void;
  back(): void;
}) {
  const { t } = useI18n();
  const problem = termsProblem(draft);
  return (
    <div className="step" data-testid="step-terms">
      <div className="form-grid">
        <Field label={t('field.hasContract')}>
          <label className="check">
            <input
              type="checkbox"
              data-testid="f-hasContract"
              checked={draft.hasContract}
              onChange={(e) => update({ hasContract: e.target.checked })}
            />{' '}
            {t('field.hasContract_yes')}
          </label>
        </Field>
        <Field
          label={t('field.contractStart')}
          error={problem === 'contract_dates_missing' && !draft.contractStart ? t('enroll.contract_dates_required') : undefined}
        >
          <DateInput
            testId="f-contractStart"
            disabled={!draft.hasContract}
            value={draft.contractStart}
            onChange={(v) => update({ contractStart: v })}
          />
        </Field>
        <Field
          label={t('field.contractEnd')}
          error={
            problem === 'contract_dates'
              ? t('enroll.dates_order')
              : problem === 'contract_dates_missing' && !draft.contractEnd
                ? t('enroll.contract_dates_required')
                : undefined
          }
        >
          <DateInput
            testId="f-contractEnd"
            disabled={!draft.hasContract}
            value={draft.contractEnd}
            onChange={(v) => update({ contractEnd: v })}
          />
        </Field>
        <Field label={t('field.hasInsurance')}>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.hasInsurance}
              onChange={(e) => update({ hasInsurance: e.target.checked })}
            />{' '}
            {t('field.hasInsurance_yes')}
          </label>
        </Field>
        <Field label={t('field.insuranceStart')}>
          <DateInput
            testId="f-insuranceStart"
            disabled={!draft.hasInsurance}
            value={draft.insuranceStart}
            onChange={(v) => update({ insuranceStart: v })}
          />
        </Field>
        <Field
          label={t('field.insuranceEnd')}
          error={problem === 'insurance_dates' ? t('enroll.dates_order') : undefined}
        >
          <DateInput
            testId="f-insuranceEnd"
            disabled={!draft.hasInsurance}
            value={draft.insuranceEnd}
            onChange={(v) => update({ insuranceEnd: v })}
          />
        </Field>
        <Field
          label={t('field.bankCard')}
          hint={t('field.optional')}
          error={problem === 'bank_card' ? t('enroll.bank_invalid') : undefined}
        >
          <input
            inputMode="numeric"
            autoComplete="off"
            value={draft.bankCard}
            onChange={(e) => update({ bankCard: e.target.value.replace(/[^\d ]/g, '').slice(0, 23) })}
          />
        </Field>
        <Field label={t('field.bankCode')} hint={t('field.optional')}>
          <input value={draft.bankCode} onChange={(e) => update({ bankCode: e.target.value.slice(0, 20) })} />
        </Field>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={back}>
          {t('common.back')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={problem !== null}
          onClick={next}
          data-testid="next"
        >
          {t('common.next')}
        </button>
      </div>
    </div>
  );
}

// Enrollment wizard (clerk): card → capture → assignment → contract/insurance/bank → review.
// The draft is saved on every change (see enroll/draft.ts for what is kept and for how long).
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import type { TextKey } from '../i18n/texts.js';
import {
  STEPS,
  clearDraft,
  emptyDraft,
  loadDraft,
  saveDraft,
  type EnrollDraft,
  type EnrollStep,
} from './enroll/draft.js';
import { CardStep } from './enroll/CardStep.js';
import { CaptureStep } from './enroll/CaptureStep.js';
import { AssignStep } from './enroll/AssignStep.js';
import { TermsStep } from './enroll/TermsStep.js';
import { ReviewStep } from './enroll/ReviewStep.js';
import { flagKey } from '../lib/words.js';

const STEP_KEYS: Record<EnrollStep, TextKey> = {
  card: 'enroll.step_card',
  capture: 'enroll.step_capture',
  assign: 'enroll.step_assign',
  terms: 'enroll.step_terms',
  review: 'enroll.step_review',
};

export function EnrollScreen() {
  const { t } = useI18n();
  const [restored] = useState(() => loadDraft());
  const [draft, setDraft] = useState<EnrollDraft>(() => restored ?? emptyDraft());
  const [cardPhoto, setCardPhoto] = useState<string | null>(null);
  const [snapshot, setSnapshot] = useState<string | null>(null);
  const [done, setDone] = useState<{
    id: number;
    name: string;
    idNumberMasked: string;
    flags: string[];
  } | null>(null);

  const update = useCallback(
    (p: Partial<EnrollDraft>) => setDraft((d) => ({ ...d, ...p, updatedAt: Date.now() })),
    [],
  );
  useEffect(() => {
    if (!done && (draft.source || draft.step !== 'card')) saveDraft(draft);
  }, [draft, done]);

  const go = (step: EnrollStep) => update({ step });
  const idx = STEPS.indexOf(draft.step);
  const next = () => go(STEPS[Math.min(idx + 1, STEPS.length - 1)] ?? 'review');
  const back = () => go(STEPS[Math.max(idx - 1, 0)] ?? 'card');
  const restart = () => {
    clearDraft();
    setDraft(emptyDraft());
    setCardPhoto(null);
    setSnapshot(null);
    setDone(null);
  };

  if (done)
    return (
      <section className="card done" data-testid="enroll-done">
        <h2>{t('enroll.saved', { name: done.name })}</h2>
        <p className="big">{done.idNumberMasked}</p>
        {done.flags.length > 0 && (
          <div className="banner warn" data-testid="enroll-flags">
            <p>{t('enroll.flags')}</p>
            <ul>
              {[...new Set(done.flags.map(flagKey))].map((k) => (
                <li key={k}>{t(k)}</li>
              ))}
            </ul>
          </div>
        )}
        <div className="actions">
          <a className="button secondary" href={`#/workers/${done.id}`}>
            {t('enroll.view_worker')}
          </a>
          <button type="button" className="primary" onClick={restart} data-testid="enroll-next-worker">
            {t('enroll.next_worker')}
          </button>
        </div>
      </section>
    );

  return (
    <section className="wizard" data-testid="enroll" data-step={draft.step}>
      <ol className="steps">
        {STEPS.map((s, i) => (
          <li key={s} className={s === draft.step ? 'current' : i < idx ? 'past' : ''}>
            <span className="num">{i + 1}</span> {t(STEP_KEYS[s])}
          </li>
        ))}
      </ol>
      {restored && restored.source && (
        <p className="banner info" data-testid="draft-restored">
          {t('enroll.draft_restored')}
        </p>
      )}
      {draft.step === 'card' && (
        <CardStep
          draft={draft}
          update={update}
          cardPhoto={cardPhoto}
          setCardPhoto={setCardPhoto}
          next={next}
        />
      )}
      {draft.step === 'capture' && (
        <CaptureStep
          draft={draft}
          update={update}
          snapshot={snapshot}
          setSnapshot={setSnapshot}
          next={next}
          back={back}
        />
      )}
      {draft.step === 'assign' && <AssignStep draft={draft} update={update} next={next} back={back} />}
      {draft.step === 'terms' && <TermsStep draft={draft} update={update} next={next} back={back} />}
      {draft.step === 'review' && (
        <ReviewStep
          draft={draft}
          snapshot={snapshot}
          cardPhoto={draft.source === 'card' ? cardPhoto : null}
          back={back}
          saved={(w) => {
            clearDraft();
            setDone(w);
          }}
        />
      )}
      <div className="actions left">
        <button type="button" className="link" onClick={restart} data-testid="enroll-cancel">
          {t('enroll.cancel')}
        </button>
      </div>
    </section>
  );
}

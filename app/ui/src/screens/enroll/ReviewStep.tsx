// Step 5: everything at a glance, then one save. A double click or a second tap while the
// first save is in flight does nothing (a ref guard, not just a disabled button).
import { useRef, useState } from 'react';
import { workerRequest, enrollmentSaveRequest } from '../../../../shared/api-types.js';
import { saveEnrollment } from '../../api/gate.js';
import { coreApi } from '../../api/core.js';
import { ApiCallError } from '../../api/http.js';
import { TRADE_CODES } from '../../../../../edge-core/src/domain/trades.js';
import { MANAGEMENT_ROLE_NAMES } from '../../../../../edge-core/src/domain/personnel.js';
import { useI18n } from '../../i18n/i18n.js';
import { maskId } from '../../lib/id-number.js';
import { errorText } from '../../components/ErrorText.js';
import { useEmployersAndTeams } from './AssignStep.js';
import { toWorkerRequest, toEnrollmentRequest, type EnrollDraft } from './draft.js';
import { TEXTS, type TextKey } from '../../i18n/texts.js';
import type { Bilingual } from '../../../../shared/i18n/messages.js';

/** A field of the request in words (the review lists what is still wrong, never a raw path). */
function fieldLabel(path: ReadonlyArray<PropertyKey>, t: (k: TextKey) => string): string {
  const last = String(path[path.length - 1] ?? '');
  const key = `field.${last}` as TextKey;
  return Object.hasOwn(TEXTS, key) ? t(key) : t('enroll.review_other_field');
}

export function ReviewStep({
  draft,
  back,
  saved,
  snapshot,
  cardPhoto,
}: {
  draft: EnrollDraft;
  /** The best live capture of this page (not kept across a reload). */
  snapshot: string | null;
  cardPhoto: string | null;
  back(): void;
  saved(w: { id: number; name: string; idNumberMasked: string; flags: string[] }): void;
}) {
  const { t, pick } = useI18n();
  const { employers, teams } = useEmployersAndTeams();
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // With the face engine: POST /api/enrollments (identity from the held card read or the manual
  // entry, templates from the capture session, idempotent by clientRequestId). Without it:
  // the manual-entry exception only, as a plain worker record (POST /api/workers).
  const viaEngine = Boolean(draft.face?.engine && draft.sessionId);
  const legacyOk = !viaEngine && draft.source === 'manual' && draft.identity !== null;
  const parsed = viaEngine
    ? enrollmentSaveRequest.safeParse(toEnrollmentRequest(draft))
    : legacyOk
      ? workerRequest.safeParse(toWorkerRequest(draft))
      : null;

  const save = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      if (viaEngine) {
        const r = await saveEnrollment(toEnrollmentRequest(draft));
        saved({
          id: r.workerId,
          name: draft.identity?.name ?? draft.card?.name ?? '',
          idNumberMasked: draft.card?.idNumberMasked ?? maskId(draft.identity?.idNumber ?? ''),
          flags: r.flags,
        });
      } else {
        const w = await coreApi.createWorker(toWorkerRequest(draft));
        saved({ ...w, flags: ['manual_entry', 'no_face_engine'] });
      }
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'network.unreachable')
        setError(t('enroll.save_unreachable'));
      else if (err instanceof ApiCallError && err.code === 'worker.duplicate')
        setError(`${pick(err.text)} · ${t('enroll.duplicate_do')}`);
      else if (err instanceof ApiCallError && err.code === 'enrollment.failed') {
        const d = err.details as { message?: Bilingual } | undefined;
        setError(d?.message ? pick(d.message) : pick(err.text));
      } else setError(errorText(err, pick));
      inFlight.current = false;
      setBusy(false);
    }
  };

  const id = draft.identity;
  const card = draft.source === 'card' ? draft.card : null;
  const emp = employers.find((e) => e.id === draft.employerId);
  const team = teams.find((x) => x.id === draft.teamId);
  return (
    <div className="step" data-testid="step-review">
      {draft.source === 'manual' && <p className="banner warn">{t('enroll.manual_flag')}</p>}
      <div className="review-photos" data-testid="review-photos">
        {snapshot ? (
          <img className="snapshot" src={snapshot} alt={t('enroll.snapshot')} data-testid="review-face" />
        ) : (
          <div className="snapshot none" data-testid="review-face-none">
            {t('enroll.snapshot')}
            {t('enroll.thumb_none')}
          </div>
        )}
        {cardPhoto && <img className="id-photo" src={cardPhoto} alt={t('enroll.id_photo')} />}
      </div>
      <dl className="review">
        <dt>{t('field.name')}</dt>
        <dd data-testid="review-name">{card?.name ?? id?.name}</dd>
        <dt>{t('field.idNumber')}</dt>
        <dd>{card ? card.idNumberMasked : id ? maskId(id.idNumber) : ''}</dd>
        <dt>{t('enroll.face')}</dt>
        <dd>
          {draft.face?.engine
            ? draft.face.score !== null
              ? t('enroll.score', {
                  score: draft.face.score.toFixed(2),
                  threshold: (draft.face.threshold ?? 0).toFixed(2),
                })
              : t('enroll.live_ok')
            : t('enroll.no_engine_short')}
        </dd>
        <dt>{t('field.employer')}</dt>
        <dd>{emp?.name ?? '—'}</dd>
        <dt>{t('field.role')}</dt>
        <dd>
          {draft.role === 'manager' && draft.managementRole
            ? pick(MANAGEMENT_ROLE_NAMES[draft.managementRole])
            : t('enroll.role_worker')}
        </dd>
        {draft.role === 'worker' && (
          <>
            <dt>{t('field.team')}</dt>
            <dd>
              {team?.name ?? '—'} {draft.isTeamLeader ? `(${t('field.teamLeader')})` : ''}
            </dd>
            <dt>{t('field.trade')}</dt>
            <dd>
              {draft.tradeCode} {TRADE_CODES[draft.tradeCode] ?? ''}
            </dd>
          </>
        )}
        <dt>{t('field.contract')}</dt>
        <dd>
          {draft.hasContract
            ? `${draft.contractStart || '?'} – ${draft.contractEnd || '?'}`
            : t('common.none')}
        </dd>
        <dt>{t('field.insurance')}</dt>
        <dd>
          {draft.hasInsurance
            ? `${draft.insuranceStart || '?'} – ${draft.insuranceEnd || '?'}`
            : t('common.none')}
        </dd>
        <dt>{t('field.bankCard')}</dt>
        <dd>{draft.bankCard ? `****${draft.bankCard.replace(/\s/g, '').slice(-4)}` : t('common.none')}</dd>
      </dl>
      {!parsed && <p className="error">{t('enroll.card_needs_engine')}</p>}
      {parsed && !parsed.success && (
        <div className="error" data-testid="review-invalid">
          <p>{t('enroll.review_invalid')}</p>
          <ul>
            {[...new Set(parsed.error.issues.map((i) => fieldLabel(i.path, t)))].map((label) => (
              <li key={label}>{label}</li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p className="error" role="alert" data-testid="save-error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={back} disabled={busy}>
          {t('common.back')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || !parsed?.success}
          onClick={() => void save()}
          data-testid="save"
        >
          {busy ? t('common.saving') : t('enroll.save')}
        </button>
      </div>
    </div>
  );
}

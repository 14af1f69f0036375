// A labelled form field with an optional hint and error, sized for touch.
import type { ReactNode } from 'react';

export function Field({
  label,
  children,
  hint,
  error,
  wide,
}: {
  label: string;
  children: ReactNode;
  hint?: string;
  error?: string;
  wide?: boolean;
}) {
  return (
    <label className={wide ? 'field wide' : 'field'}>
      <span className="label">{label}</span>
      {children}
      {hint && !error && <span className="hint-text">{hint}</span>}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

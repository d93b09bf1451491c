import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

export interface FormFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'> {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  /** Message shown under the field; also marks the input invalid for assistive technology. */
  error?: string | undefined;
  help?: ReactNode;
}

/** A labelled input with its help text and its inline error, wired with aria-describedby. */
export function FormField({ label, name, value, onChange, error, help, className, ...input }: FormFieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  // The help text is hidden while an error shows, so only point at what is on the page.
  const describedBy = error ? errorId : help ? helpId : undefined;
  return (
    <div className={`mb-3 ${className ?? ''}`}>
      <label htmlFor={id} className="form-label fw-medium">
        {label}
      </label>
      <input
        {...input}
        id={id}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={`form-control${error ? ' is-invalid' : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      {error && (
        <div id={errorId} className="invalid-feedback d-block" role="alert">
          {error}
        </div>
      )}
      {help && !error && (
        <div id={helpId} className="form-text">
          {help}
        </div>
      )}
    </div>
  );
}

/** The message above a form for errors that belong to no field. */
export function FormAlert({ message, variant = 'danger' }: { message: string | null; variant?: 'danger' | 'success' | 'info' }) {
  if (!message) return null;
  return (
    <div className={`alert alert-${variant} py-2`} role={variant === 'danger' ? 'alert' : 'status'}>
      {message}
    </div>
  );
}

/** A submit button that shows progress and cannot be pressed twice. */
export function SubmitButton({
  busy,
  label,
  busyLabel,
  variant = 'primary',
  className = '',
  disabled,
}: {
  busy: boolean;
  label: string;
  busyLabel: string;
  variant?: string;
  className?: string;
  disabled?: boolean;
}) {
  return (
    <button type="submit" className={`btn btn-${variant} ${className}`} disabled={busy || disabled}>
      {busy && <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />}
      {busy ? busyLabel : label}
    </button>
  );
}

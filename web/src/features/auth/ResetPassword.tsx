import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { resetPassword } from '../../api/auth';
import { toFormErrors } from '../../api/errors';
import { strings } from '../../i18n/strings';
import { FormAlert, FormField, SubmitButton } from '../../ui/FormField';
import { AuthCard } from './AuthCard';
import { checkNewPassword, compact } from './validation';

/** The reset link is /reset-password#token=...: the fragment never reaches a server or its logs. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  return token && token.trim() ? token.trim() : null;
}

export default function ResetPassword() {
  const token = useMemo(() => tokenFromHash(window.location.hash), []);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token) return;
    const found = compact({
      password: checkNewPassword(password),
      confirm: confirm !== password ? strings.auth.passwordsDiffer : undefined,
    });
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await resetPassword(token, password);
      // Drop the spent token from the address bar and history.
      window.history.replaceState(null, '', window.location.pathname);
      setDone(true);
    } catch (err) {
      const mapped = toFormErrors(err, ['password']);
      setErrors(mapped.fields);
      setGeneral(mapped.general);
    } finally {
      setBusy(false);
    }
  };

  const footer = <Link to="/login">{strings.auth.backToLogin}</Link>;
  if (!token && !done) {
    return (
      <AuthCard title={strings.auth.resetTitle} footer={footer}>
        <FormAlert message={strings.auth.resetMissingToken} />
        <Link to="/forgot-password" className="btn btn-primary w-100 rounded-pill">
          {strings.auth.requestNewLink}
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={strings.auth.resetTitle} footer={footer}>
      {done ? (
        <FormAlert variant="success" message={strings.auth.resetDone} />
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <FormAlert message={general} />
          <FormField
            label={strings.auth.newPassword}
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            error={errors.password}
            help={strings.auth.passwordHelp}
            required
            autoFocus
          />
          <FormField
            label={strings.auth.confirmPassword}
            name="confirm"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={setConfirm}
            error={errors.confirm}
            required
          />
          <SubmitButton busy={busy} label={strings.auth.resetSubmit} busyLabel={strings.common.saving} className="w-100 rounded-pill" />
        </form>
      )}
    </AuthCard>
  );
}

import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { login } from '../../api/auth';
import { toFormErrors } from '../../api/errors';
import { strings } from '../../i18n/strings';
import { FormAlert, FormField, SubmitButton } from '../../ui/FormField';
import { AuthCard } from './AuthCard';
import { checkEmail, checkRequired, compact } from './validation';

const FIELDS = ['email', 'password'] as const;

export default function Login() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = compact({ email: checkEmail(email), password: checkRequired(password, strings.auth.password) });
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      // On success the session changes and GuestOnly sends the user on.
      await login({ email: email.trim(), password });
    } catch (err) {
      const mapped = toFormErrors(err, FIELDS);
      setErrors(mapped.fields);
      setGeneral(mapped.general);
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title={strings.auth.loginTitle}
      lead={strings.auth.loginLead}
      footer={
        <>
          {strings.auth.noAccount} <Link to="/register">{strings.auth.register}</Link>
        </>
      }
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormAlert message={general} />
        <FormField
          label={strings.auth.email}
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={setEmail}
          error={errors.email}
          required
          autoFocus
        />
        <FormField
          label={strings.auth.password}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={errors.password}
          required
        />
        <div className="d-flex justify-content-between align-items-center">
          <Link to="/forgot-password" className="small">
            {strings.auth.forgot}
          </Link>
          <SubmitButton busy={busy} label={strings.auth.signIn} busyLabel={strings.auth.signingIn} className="rounded-pill px-4" />
        </div>
      </form>
    </AuthCard>
  );
}

import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { forgotPassword } from '../../api/auth';
import { toFormErrors } from '../../api/errors';
import { strings } from '../../i18n/strings';
import { FormAlert, FormField, SubmitButton } from '../../ui/FormField';
import { AuthCard } from './AuthCard';
import { checkEmail } from './validation';

export default function ForgotPassword() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [general, setGeneral] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = checkEmail(email);
    setError(found);
    setGeneral(null);
    if (found) return;
    setBusy(true);
    try {
      await forgotPassword(email.trim());
      setSent(true);
    } catch (err) {
      const mapped = toFormErrors(err, ['email']);
      setError(mapped.fields.email);
      setGeneral(mapped.general);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title={strings.auth.forgotTitle}
      lead={sent ? undefined : strings.auth.forgotLead}
      footer={<Link to="/login">{strings.auth.backToLogin}</Link>}
    >
      {sent ? (
        <FormAlert variant="success" message={strings.auth.forgotSent} />
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <FormAlert message={general} />
          <FormField
            label={strings.auth.email}
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={setEmail}
            error={error}
            required
            autoFocus
          />
          <SubmitButton busy={busy} label={strings.auth.sendLink} busyLabel={strings.auth.sending} className="w-100 rounded-pill" />
        </form>
      )}
    </AuthCard>
  );
}

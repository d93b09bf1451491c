import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { register } from '../../api/auth';
import { toFormErrors } from '../../api/errors';
import { strings } from '../../i18n/strings';
import { FormAlert, FormField, SubmitButton } from '../../ui/FormField';
import { AuthCard } from './AuthCard';
import { checkEmail, checkNewPassword, checkUsername, compact } from './validation';

const FIELDS = ['username', 'email', 'password'] as const;

export default function Register() {
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = compact({ username: checkUsername(username), email: checkEmail(email), password: checkNewPassword(password) });
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await register({ username: username.trim(), email: email.trim(), password });
    } catch (err) {
      const mapped = toFormErrors(err, FIELDS);
      setErrors(mapped.fields);
      setGeneral(mapped.general);
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title={strings.auth.registerTitle}
      lead={strings.auth.registerLead}
      footer={
        <>
          {strings.auth.haveAccount} <Link to="/login">{strings.auth.signIn}</Link>
        </>
      }
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormAlert message={general} />
        <FormField
          label={strings.auth.username}
          name="username"
          autoComplete="username"
          value={username}
          onChange={setUsername}
          error={errors.username}
          help={strings.auth.usernameHelp}
          required
          autoFocus
        />
        <FormField
          label={strings.auth.email}
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={setEmail}
          error={errors.email}
          required
        />
        <FormField
          label={strings.auth.password}
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          error={errors.password}
          help={strings.auth.passwordHelp}
          required
        />
        <SubmitButton busy={busy} label={strings.auth.register} busyLabel={strings.auth.registering} className="w-100 rounded-pill" />
      </form>
    </AuthCard>
  );
}

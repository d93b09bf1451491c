import { useState, type FormEvent } from 'react';
import { toFormErrors } from '../../api/errors';
import type { User } from '../../api/types';
import { updateMe } from '../../api/users';
import { strings } from '../../i18n/strings';
import { FormAlert, FormField, SubmitButton } from '../../ui/FormField';
import { useToast } from '../../ui/Toasts';
import { checkEmail, checkUsername, compact } from '../auth/validation';

export function AccountForm({ user }: { user: User }) {
  const [username, setUsername] = useState(user.username);
  const [email, setEmail] = useState(user.email);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toast = useToast();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = compact({ username: checkUsername(username), email: checkEmail(email) });
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length) return;
    const patch: { username?: string; email?: string } = {};
    if (username.trim() !== user.username) patch.username = username.trim();
    if (email.trim() !== user.email) patch.email = email.trim();
    if (!Object.keys(patch).length) return;
    setBusy(true);
    try {
      await updateMe(patch);
      toast.show(strings.profile.accountSaved);
    } catch (err) {
      const mapped = toFormErrors(err, ['username', 'email']);
      setErrors(mapped.fields);
      setGeneral(mapped.general);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <FormAlert message={general} />
      <FormField
        label={strings.auth.username}
        name="username"
        autoComplete="username"
        value={username}
        onChange={setUsername}
        error={errors.username}
        required
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
      <SubmitButton busy={busy} label={strings.common.save} busyLabel={strings.common.saving} className="rounded-pill px-4" />
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { toFormErrors } from '../../api/errors';
import { changePassword } from '../../api/users';
import { strings } from '../../i18n/strings';
import { FormAlert, FormField, SubmitButton } from '../../ui/FormField';
import { useToast } from '../../ui/Toasts';
import { checkNewPassword, checkRequired, compact } from '../auth/validation';

export function PasswordForm() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toast = useToast();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = compact({
      currentPassword: checkRequired(currentPassword, strings.profile.currentPassword),
      newPassword: checkNewPassword(newPassword),
    });
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await changePassword(currentPassword, newPassword);
      setCurrent('');
      setNew('');
      toast.show(strings.profile.passwordChanged);
    } catch (err) {
      const mapped = toFormErrors(err, ['currentPassword', 'newPassword']);
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
        label={strings.profile.currentPassword}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={setCurrent}
        error={errors.currentPassword}
        required
      />
      <FormField
        label={strings.profile.newPassword}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        value={newPassword}
        onChange={setNew}
        error={errors.newPassword}
        help={strings.auth.passwordHelp}
        required
      />
      <SubmitButton busy={busy} label={strings.profile.changePassword} busyLabel={strings.common.saving} className="rounded-pill px-4" />
    </form>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { api, type ApiClient } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { getNotificationSettings, updateNotificationSettings, type NotificationSettings } from '../../api/push';
import { strings } from '../../i18n/strings';
import { FormAlert, SubmitButton } from '../../ui/FormField';
import { PageLoader } from '../../ui/PageLoader';
import { useToast } from '../../ui/Toasts';
import { useAsync } from '../../ui/useAsync';

export const MAX_REMINDER_MINUTES = 1440;

type Flag = 'reminders' | 'waitingRoom' | 'meetingStarted' | 'chat';

/** Per-user choices, the same on every device (GET/PATCH /users/me/notifications). */
export function NotificationPrefs({ client = api }: { client?: ApiClient }) {
  const { data, error, loading, reload } = useAsync(() => getNotificationSettings(client), [client]);
  if (loading) return <PageLoader />;
  if (error || !data) {
    return (
      <div>
        <FormAlert message={errorMessage(error)} />
        <button type="button" className="btn btn-outline-secondary btn-sm rounded-pill" onClick={reload}>
          {strings.common.retry}
        </button>
      </div>
    );
  }
  return <PrefsForm initial={data} client={client} />;
}

function PrefsForm({ initial, client }: { initial: NotificationSettings; client: ApiClient }) {
  const [values, setValues] = useState(initial);
  const [minutes, setMinutes] = useState(String(initial.reminderMinutes));
  const [minutesError, setMinutesError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const id = useId();

  const flag = (name: Flag, label: string) => (
    <div className="form-check form-switch mb-2">
      <input
        id={`${id}-${name}`}
        className="form-check-input"
        type="checkbox"
        role="switch"
        checked={values[name]}
        onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.checked }))}
      />
      <label className="form-check-label" htmlFor={`${id}-${name}`}>
        {label}
      </label>
    </div>
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    const n = Number(minutes);
    if (!Number.isInteger(n) || n < 1 || n > MAX_REMINDER_MINUTES) {
      setMinutesError(strings.notifications.reminderMinutesInvalid);
      return;
    }
    setMinutesError(null);
    setBusy(true);
    try {
      const saved = await updateNotificationSettings({ ...values, reminderMinutes: n }, client);
      setValues(saved);
      setMinutes(String(saved.reminderMinutes));
      toast.show(strings.notifications.saved);
    } catch (err) {
      setGeneral(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="h6 mb-3">
        {strings.notifications.settings}
      </h3>
      <FormAlert message={general} />
      {flag('reminders', strings.notifications.reminders)}
      <div className="ms-4 mb-3" style={{ maxWidth: 240 }}>
        <label className="form-label small mb-1" htmlFor={`${id}-minutes`}>
          {strings.notifications.reminderMinutes}
        </label>
        <input
          id={`${id}-minutes`}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_REMINDER_MINUTES}
          className={`form-control form-control-sm${minutesError ? ' is-invalid' : ''}`}
          value={minutes}
          disabled={!values.reminders}
          aria-invalid={minutesError ? true : undefined}
          aria-describedby={minutesError ? `${id}-minutes-error` : undefined}
          onChange={(e) => {
            setMinutes(e.target.value);
            setMinutesError(null);
          }}
        />
        {minutesError && (
          <div id={`${id}-minutes-error`} className="invalid-feedback d-block">
            {minutesError}
          </div>
        )}
      </div>
      {flag('waitingRoom', strings.notifications.waitingRoom)}
      {flag('meetingStarted', strings.notifications.meetingStarted)}
      {flag('chat', strings.notifications.chat)}
      <SubmitButton busy={busy} label={strings.notifications.save} busyLabel={strings.common.saving} className="rounded-pill mt-2" />
    </form>
  );
}

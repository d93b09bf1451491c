import { useId, useState, type FormEvent } from 'react';
import { toFormErrors } from '../../api/errors';
import type { MeetingSettings } from '../../api/types';
import { strings } from '../../i18n/strings';
import { FormAlert, FormField, SubmitButton } from '../../ui/FormField';
import { EmailChips } from '../meetings/Invitations';
import { browserTimeZone, MAX_DURATION, MIN_DURATION, validateSchedule, type ScheduleValues } from './scheduleValidation';

const FIELDS = ['title', 'startsAt', 'durationMinutes', 'passcode'] as const;
type SwitchSetting = 'waitingRoom' | 'guestsAllowed' | 'muteOnEntry' | 'autoRecord';

export interface ScheduleFormProps {
  initial: ScheduleValues;
  /** Resolves when saved; throws an ApiError whose field errors are shown inline. `invitees`: the
   * addresses entered when `invite` is set (the caller invites them once the meeting exists). */
  onSubmit: (values: ScheduleValues, invitees: string[]) => Promise<void>;
  /** Shows an "Invite people" field (a new meeting; an existing one manages its invitations apart). */
  invite?: boolean;
  submitLabel?: string;
  /** For edits: a start time that already passed may stay as it was. */
  allowUnchangedStart?: boolean;
  onCancel?: () => void;
  /** Injected clock for tests. */
  now?: () => Date;
}

export function ScheduleForm({
  initial,
  onSubmit,
  submitLabel = strings.schedule.submit,
  allowUnchangedStart,
  onCancel,
  invite = false,
  now = () => new Date(),
}: ScheduleFormProps) {
  const [invitees, setInvitees] = useState<string[]>([]);
  const [values, setValues] = useState<ScheduleValues>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const set =
    <K extends keyof ScheduleValues>(key: K) =>
    (value: ScheduleValues[K]) =>
      setValues((v) => ({ ...v, [key]: value }));
  const setSetting = <K extends keyof MeetingSettings>(key: K, value: MeetingSettings[K]) =>
    setValues((v) => ({ ...v, settings: { ...v.settings, [key]: value } }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateSchedule(values, now(), allowUnchangedStart ? initial.startsAt : undefined);
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await onSubmit(values, invitees);
    } catch (err) {
      const mapped = toFormErrors(err, FIELDS);
      setErrors(mapped.fields);
      setGeneral(mapped.general);
    } finally {
      setBusy(false);
    }
  };

  const check = (key: SwitchSetting, label: string) => {
    const value = values.settings[key] ?? false;
    return (
      <div className="form-check form-switch mb-2">
        <input
          className="form-check-input"
          type="checkbox"
          role="switch"
          id={`${id}-${key}`}
          checked={value}
          onChange={(e) => setSetting(key, e.target.checked)}
        />
        <label className="form-check-label" htmlFor={`${id}-${key}`}>
          {label}
        </label>
      </div>
    );
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={strings.home.scheduleTitle}>
      <FormAlert message={general} />
      <FormField
        label={strings.schedule.title}
        name="title"
        value={values.title}
        onChange={set('title')}
        error={errors.title}
        placeholder={strings.schedule.titlePlaceholder}
        maxLength={200}
        required
      />
      <div className="row g-3">
        <div className="col-sm-7">
          <FormField
            label={strings.schedule.startsAt}
            name="startsAt"
            type="datetime-local"
            value={values.startsAt}
            onChange={set('startsAt')}
            error={errors.startsAt}
            help={strings.schedule.timeZone(browserTimeZone())}
            required
            className="mb-0"
          />
        </div>
        <div className="col-sm-5">
          <FormField
            label={strings.schedule.duration}
            name="durationMinutes"
            type="number"
            inputMode="numeric"
            min={MIN_DURATION}
            max={MAX_DURATION}
            step={5}
            value={values.durationMinutes}
            onChange={set('durationMinutes')}
            error={errors.durationMinutes}
            required
            className="mb-0"
          />
        </div>
      </div>
      <FormField
        className="mt-3"
        label={strings.schedule.passcode}
        name="passcode"
        value={values.passcode}
        onChange={set('passcode')}
        error={errors.passcode}
        help={strings.schedule.passcodeHelp}
        autoComplete="off"
        maxLength={32}
      />
      <fieldset className="mb-3">
        <legend className="form-label fw-medium fs-6">{strings.schedule.settings}</legend>
        {check('waitingRoom', strings.schedule.waitingRoom)}
        {check('guestsAllowed', strings.schedule.guestsAllowed)}
        {check('muteOnEntry', strings.schedule.muteOnEntry)}
        {check('autoRecord', strings.schedule.autoRecord)}
        <label className="form-label mt-2" htmlFor={`${id}-screenShare`}>
          {strings.schedule.screenShare}
        </label>
        <select
          id={`${id}-screenShare`}
          className="form-select"
          value={values.settings.screenShare}
          onChange={(e) => setSetting('screenShare', e.target.value === 'hosts' ? 'hosts' : 'everyone')}
        >
          <option value="everyone">{strings.schedule.screenShareEveryone}</option>
          <option value="hosts">{strings.schedule.screenShareHosts}</option>
        </select>
      </fieldset>
      {invite && <EmailChips emails={invitees} onChange={setInvitees} disabled={busy} />}
      <div className="d-flex gap-2 justify-content-end">
        {onCancel && (
          <button type="button" className="btn btn-outline-secondary rounded-pill px-4" onClick={onCancel}>
            {strings.common.cancel}
          </button>
        )}
        <SubmitButton busy={busy} label={submitLabel} busyLabel={strings.schedule.submitting} className="rounded-pill px-4" />
      </div>
    </form>
  );
}

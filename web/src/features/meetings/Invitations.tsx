import { useEffect, useId, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { errorMessage } from '../../api/errors';
import { inviteByEmail, listInvitations, removeInvitation } from '../../api/meetings';
import type { Invitation } from '../../api/types';
import { strings } from '../../i18n/strings';
import { FormAlert } from '../../ui/FormField';
import { addEmails } from './invitationEmails';

/**
 * Email addresses as removable chips: typed (Enter, comma or space adds one), pasted as a list,
 * each checked like a registration email; duplicates and `taken` addresses are skipped.
 */
export function EmailChips({
  emails,
  onChange,
  taken = [],
  disabled = false,
}: {
  emails: string[];
  onChange: (emails: string[]) => void;
  /** Already invited: not added twice. */
  taken?: readonly string[];
  disabled?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const add = (value: string) => {
    const result = addEmails(emails, value, taken);
    if (result.emails.length !== emails.length) onChange(result.emails);
    setText(result.invalid.join(' '));
    setError(
      result.invalid.length > 0 ? strings.invitations.invalid(result.invalid) : result.overLimit ? strings.invitations.tooMany : null,
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',' || event.key === ';' || (event.key === ' ' && text.includes('@'))) {
      // Enter must not submit the surrounding form while an address is being typed.
      if (event.key !== 'Enter' || text.trim()) event.preventDefault();
      if (text.trim()) add(text);
    } else if (event.key === 'Backspace' && !text && emails.length > 0) {
      onChange(emails.slice(0, -1));
    }
  };
  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const pasted = event.clipboardData.getData('text');
    if (!/[\s,;]/.test(pasted.trim())) return;
    event.preventDefault();
    add(`${text} ${pasted}`);
  };

  return (
    <div className="mb-3">
      <label htmlFor={id} className="form-label fw-medium">
        {strings.invitations.field}
      </label>
      {emails.length > 0 && (
        <ul className="list-unstyled d-flex flex-wrap gap-2 mb-2" aria-label={strings.invitations.title} data-testid="invite-chips">
          {emails.map((email) => (
            <li key={email} className="badge rounded-pill text-bg-light border d-inline-flex align-items-center gap-1 fw-normal fs-6">
              <span className="text-break">{email}</span>
              <button
                type="button"
                className="btn-close btn-close-sm"
                style={{ fontSize: '0.6rem' }}
                aria-label={strings.invitations.remove(email)}
                disabled={disabled}
                onClick={() => onChange(emails.filter((e) => e !== email))}
              />
            </li>
          ))}
        </ul>
      )}
      <div className="d-flex gap-2">
        <input
          id={id}
          type="email"
          multiple
          inputMode="email"
          autoComplete="off"
          className={`form-control${error ? ' is-invalid' : ''}`}
          placeholder={strings.invitations.placeholder}
          value={text}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-${error ? 'error' : 'help'}`}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => text.trim() && add(text)}
        />
        <button
          type="button"
          className="btn btn-outline-primary rounded-pill px-3"
          disabled={disabled || !text.trim()}
          onClick={() => add(text)}
        >
          {strings.invitations.add}
        </button>
      </div>
      {error ? (
        <div id={`${id}-error`} className="invalid-feedback d-block">
          {error}
        </div>
      ) : (
        <div id={`${id}-help`} className="form-text">
          {strings.invitations.help}
        </div>
      )}
    </div>
  );
}

/** The host's list of a meeting's invitations: who, whether emailed, and a way to add and remove. */
export function ManageInvitations({ code }: { code: string }) {
  const [invitations, setInvitations] = useState<Invitation[] | null>(null);
  const [pending, setPending] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    listInvitations(code).then(
      (list) => current && setInvitations(list),
      (err: unknown) => current && setError(errorMessage(err) || strings.invitations.loadFailed),
    );
    return () => {
      current = false;
    };
  }, [code]);

  const run = async (action: () => Promise<void>, failed: string) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err) || failed);
    } finally {
      setBusy(false);
    }
  };
  const send = () =>
    run(async () => {
      setInvitations(await inviteByEmail(code, pending));
      setPending([]);
    }, strings.invitations.saveFailed);
  const remove = (invitation: Invitation) =>
    run(async () => {
      await removeInvitation(code, invitation.id);
      setInvitations((list) => list?.filter((i) => i.id !== invitation.id) ?? null);
    }, strings.invitations.saveFailed);

  return (
    <section aria-labelledby={`invitations-${code}`} data-testid="invitations">
      <h2 id={`invitations-${code}`} className="h5 mb-3">
        {strings.invitations.title}
      </h2>
      <FormAlert message={error} />
      <EmailChips emails={pending} onChange={setPending} taken={invitations?.map((i) => i.email) ?? []} disabled={busy} />
      <div className="d-flex justify-content-end mb-3">
        <button
          type="button"
          className="btn btn-primary rounded-pill px-4"
          disabled={busy || pending.length === 0}
          onClick={() => void send()}
        >
          {busy ? strings.invitations.sending : strings.invitations.send}
        </button>
      </div>
      {invitations && (
        <>
          <p className="text-secondary small mb-2" aria-live="polite">
            {invitations.length === 0 ? strings.invitations.none : strings.invitations.invitedCount(invitations.length)}
          </p>
          <ul className="list-group" data-testid="invitation-list">
            {invitations.map((invitation) => (
              <li key={invitation.id} className="list-group-item d-flex flex-wrap align-items-center gap-2">
                <span className="flex-fill-shrink text-break">{invitation.email}</span>
                {invitation.registered && <span className="badge text-bg-primary">{strings.invitations.registered}</span>}
                <span className="text-secondary small">
                  {invitation.emailedAt ? strings.invitations.emailed : strings.invitations.notEmailed}
                </span>
                <button
                  type="button"
                  className="btn btn-sm btn-outline-danger rounded-pill"
                  aria-label={strings.invitations.remove(invitation.email)}
                  disabled={busy}
                  onClick={() => void remove(invitation)}
                >
                  <i className="bi bi-x-lg" aria-hidden="true" />
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

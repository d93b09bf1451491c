import { useId, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { strings } from '../../i18n/strings';
import { parseJoinCode } from './joinCode';

/** "Enter a code or link" + Join, as on Meet's home page. */
export function JoinForm() {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const navigate = useNavigate();
  const id = useId();
  // The installed app's "Join" shortcut opens /?join=1: put the cursor in the code field.
  const [params] = useSearchParams();
  const focusOnOpen = params.get('join') === '1';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const code = parseJoinCode(value);
    if (!code) {
      setError(strings.home.joinInvalid);
      return;
    }
    navigate(`/m/${code}`);
  };

  return (
    <form onSubmit={submit} noValidate className="join-input position-relative d-flex gap-2 flex-grow-1">
      <div className="position-relative flex-grow-1">
        <label htmlFor={id} className="visually-hidden">
          {strings.home.joinLabel}
        </label>
        <i className="bi bi-keyboard input-icon" aria-hidden="true" />
        <input
          id={id}
          className={`form-control form-control-lg fs-6 py-2${error ? ' is-invalid' : ''}`}
          placeholder={strings.home.joinPlaceholder}
          value={value}
          autoComplete="off"
          autoFocus={focusOnOpen}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
        />
        {error && (
          <div id={`${id}-error`} className="invalid-feedback d-block" role="alert">
            {error}
          </div>
        )}
      </div>
      <button type="submit" className="btn btn-link fw-medium text-decoration-none align-self-start py-2" disabled={!value.trim()}>
        {strings.home.join}
      </button>
    </form>
  );
}

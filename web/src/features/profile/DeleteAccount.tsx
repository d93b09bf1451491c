import { useState, type FormEvent } from 'react';
import Modal from 'react-bootstrap/Modal';
import { useNavigate } from 'react-router-dom';
import { toFormErrors } from '../../api/errors';
import { deleteMe } from '../../api/users';
import { strings } from '../../i18n/strings';
import { FormAlert, FormField, SubmitButton } from '../../ui/FormField';
import { useToast } from '../../ui/Toasts';

export function DeleteAccount() {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const toast = useToast();

  const close = () => {
    setOpen(false);
    setPassword('');
    setError(undefined);
    setGeneral(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!password) {
      setError(strings.auth.required(strings.auth.password));
      return;
    }
    setBusy(true);
    try {
      await deleteMe(password);
      toast.show(strings.profile.deleted, 'info');
      navigate('/', { replace: true });
    } catch (err) {
      const mapped = toFormErrors(err, ['password']);
      setError(mapped.fields.password);
      setGeneral(mapped.general);
      setBusy(false);
    }
  };

  return (
    <>
      <p className="text-secondary">{strings.profile.deleteLead}</p>
      <button type="button" className="btn btn-outline-danger rounded-pill" onClick={() => setOpen(true)}>
        {strings.profile.deleteButton}
      </button>
      <Modal show={open} onHide={close} centered aria-labelledby="delete-account-title">
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Modal.Header closeButton closeLabel={strings.common.close}>
            <Modal.Title as="h2" className="h5" id="delete-account-title">
              {strings.profile.deleteConfirmTitle}
            </Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <p>{strings.profile.deleteConfirmBody}</p>
            <FormAlert message={general} />
            <FormField
              label={strings.auth.password}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              error={error}
              required
              autoFocus
            />
          </Modal.Body>
          <Modal.Footer>
            <button type="button" className="btn btn-outline-secondary rounded-pill" onClick={close}>
              {strings.common.cancel}
            </button>
            <SubmitButton
              busy={busy}
              variant="danger"
              label={strings.profile.deleteConfirm}
              busyLabel={strings.common.saving}
              className="rounded-pill"
            />
          </Modal.Footer>
        </form>
      </Modal>
    </>
  );
}

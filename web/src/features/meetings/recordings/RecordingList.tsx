import { useEffect, useId, useRef, useState, type MouseEvent } from 'react';
import Modal from 'react-bootstrap/Modal';
import { api, type ApiClient } from '../../../api/client';
import { errorMessage } from '../../../api/errors';
import { deleteRecording, grantMediaAccess, hasMediaAccess, type Recording } from '../../../api/recordings';
import { strings } from '../../../i18n/strings';
import { FormAlert } from '../../../ui/FormField';
import { formatDateTime } from '../../../ui/format';
import { PageLoader } from '../../../ui/PageLoader';
import { useToast } from '../../../ui/Toasts';
import { RecordingItem } from './RecordingItem';
import { RecordingPlayer } from './RecordingPlayer';
import { POLL_MS, useRecordings } from './useRecordings';

/**
 * The "Recordings" section of a meeting's history: each server recording with its status, a
 * progress bar while it is composed, and Play / Download / Delete once it is ready.
 */
export function RecordingList({ code, client = api, pollMs = POLL_MS }: { code: string; client?: ApiClient; pollMs?: number }) {
  const { items, loading, error, remove } = useRecordings(code, client, pollMs);
  const [playing, setPlaying] = useState<Recording | null>(null);
  const [opening, setOpening] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [pendingDelete, setPendingDelete] = useState<Recording | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const deletedId = useRef<number | null>(null);
  const toast = useToast();
  const headingId = useId();

  // The download links need the media cookie before anyone clicks them (a link cannot carry
  // the bearer token), so ask for it as soon as one shows.
  const anyReady = items.some((r) => r.status === 'ready');
  useEffect(() => {
    if (anyReady) grantMediaAccess(client).catch(() => undefined);
  }, [anyReady, client]);

  const play = async (recording: Recording) => {
    if (opening !== null) return;
    setOpening(recording.id);
    setActionError(null);
    try {
      await grantMediaAccess(client);
      setPlaying(recording);
    } catch (err) {
      setActionError(`${strings.recordings.accessFailed} ${errorMessage(err)}`);
    } finally {
      setOpening(null);
    }
  };

  // A link left open past the cookie's renewal time gets a fresh cookie before it is followed.
  const download = (event: MouseEvent<HTMLAnchorElement>) => {
    if (hasMediaAccess(client)) return;
    event.preventDefault();
    const link = event.currentTarget;
    setActionError(null);
    grantMediaAccess(client).then(
      () => link.click(),
      (err: unknown) => setActionError(`${strings.recordings.accessFailed} ${errorMessage(err)}`),
    );
  };

  const askDelete = (recording: Recording) => {
    setDeleteError(null);
    setPendingDelete(recording);
  };

  const confirmDelete = async () => {
    if (!pendingDelete) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await deleteRecording(pendingDelete.id, client);
      deletedId.current = pendingDelete.id;
      remove(pendingDelete.id);
      toast.show(strings.recordings.deleted);
      setPendingDelete(null);
    } catch (err) {
      setDeleteError(errorMessage(err));
    } finally {
      setDeleting(false);
    }
  };

  return (
    <section className="mt-4" aria-labelledby={headingId}>
      <h2 className="h5" id={headingId} ref={heading} tabIndex={-1}>
        {strings.recordings.title}
      </h2>
      <FormAlert message={error} />
      <FormAlert message={actionError} />
      {loading && items.length === 0 && <PageLoader />}
      {!loading && !error && items.length === 0 && <p className="text-secondary">{strings.recordings.empty}</p>}
      {items.length > 0 && (
        <ul className="list-group mb-3" data-testid="recordings">
          {items.map((r) => (
            <RecordingItem
              key={r.id}
              recording={r}
              opening={opening === r.id}
              onPlay={(rec) => void play(rec)}
              onDownload={download}
              onDelete={askDelete}
            />
          ))}
        </ul>
      )}

      <RecordingPlayer recording={playing} onClose={() => setPlaying(null)} client={client} />

      <Modal
        show={pendingDelete !== null}
        onHide={() => setPendingDelete(null)}
        onExited={() => {
          // The Delete button that had focus is gone with its row: put focus somewhere sensible.
          if (deletedId.current !== null) heading.current?.focus();
          deletedId.current = null;
        }}
        centered
        aria-labelledby="delete-recording-title"
      >
        <Modal.Header closeButton closeLabel={strings.common.close}>
          <Modal.Title as="h2" className="h5" id="delete-recording-title">
            {strings.recordings.deleteTitle}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <FormAlert message={deleteError} />
          {pendingDelete && strings.recordings.deleteBody(formatDateTime(pendingDelete.startedAt))}
        </Modal.Body>
        <Modal.Footer>
          <button type="button" className="btn btn-outline-secondary rounded-pill" onClick={() => setPendingDelete(null)}>
            {strings.common.cancel}
          </button>
          <button type="button" className="btn btn-danger rounded-pill" onClick={() => void confirmDelete()} disabled={deleting}>
            {deleting && <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />}
            {strings.common.delete}
          </button>
        </Modal.Footer>
      </Modal>
    </section>
  );
}

import { useState } from 'react';
import Modal from 'react-bootstrap/Modal';
import Tab from 'react-bootstrap/Tab';
import Tabs from 'react-bootstrap/Tabs';
import { useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { deleteMeeting } from '../../api/meetings';
import type { Meeting, MeetingScope } from '../../api/types';
import { strings } from '../../i18n/strings';
import { FormAlert } from '../../ui/FormField';
import { useToast } from '../../ui/Toasts';
import { MeetingList } from './MeetingList';

export default function Meetings() {
  const [params, setParams] = useSearchParams();
  const scope: MeetingScope = params.get('tab') === 'past' ? 'past' : 'upcoming';
  const [pending, setPending] = useState<Meeting | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const toast = useToast();

  const confirmDelete = async () => {
    if (!pending) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await deleteMeeting(pending.code);
      setRemoved((s) => new Set(s).add(pending.code));
      toast.show(strings.meetings.deleted);
      setPending(null);
    } catch (err) {
      setDeleteError(errorMessage(err));
    } finally {
      setDeleting(false);
    }
  };

  const ask = (m: Meeting) => {
    setDeleteError(null);
    setPending(m);
  };

  return (
    <div className="container py-4" style={{ maxWidth: 860 }}>
      <h1 className="h3 mb-3">{strings.meetings.title}</h1>
      <Tabs
        id="meeting-tabs"
        activeKey={scope}
        onSelect={(key) => setParams(key === 'past' ? { tab: 'past' } : {}, { replace: true })}
        mountOnEnter
        unmountOnExit
      >
        <Tab eventKey="upcoming" title={strings.meetings.upcoming}>
          <MeetingList scope="upcoming" onDelete={ask} removed={removed} />
        </Tab>
        <Tab eventKey="past" title={strings.meetings.past}>
          <MeetingList scope="past" onDelete={ask} removed={removed} />
        </Tab>
      </Tabs>

      <Modal show={pending !== null} onHide={() => setPending(null)} centered aria-labelledby="delete-meeting-title">
        <Modal.Header closeButton closeLabel={strings.common.close}>
          <Modal.Title as="h2" className="h5" id="delete-meeting-title">
            {strings.meetings.deleteTitle}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <FormAlert message={deleteError} />
          {pending && strings.meetings.deleteBody(pending.title)}
        </Modal.Body>
        <Modal.Footer>
          <button type="button" className="btn btn-outline-secondary rounded-pill" onClick={() => setPending(null)}>
            {strings.common.cancel}
          </button>
          <button type="button" className="btn btn-danger rounded-pill" onClick={() => void confirmDelete()} disabled={deleting}>
            {deleting && <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />}
            {strings.common.delete}
          </button>
        </Modal.Footer>
      </Modal>
    </div>
  );
}

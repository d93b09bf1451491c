import { useState } from 'react';
import Modal from 'react-bootstrap/Modal';
import { api, type ApiClient } from '../../../api/client';
import { forgetMediaAccess, recordingFileUrl, type Recording } from '../../../api/recordings';
import { strings } from '../../../i18n/strings';
import { formatDateTime } from '../../../ui/format';

/**
 * The in-page player of a ready recording. The caller has set the media cookie first
 * (grantMediaAccess), since the <video> element fetches the file without our bearer token.
 * The Modal traps focus, closes with Esc and gives focus back to the Play button.
 */
export function RecordingPlayer({
  recording,
  onClose,
  client = api,
}: {
  recording: Recording | null;
  onClose: () => void;
  client?: ApiClient;
}) {
  const [failedId, setFailedId] = useState<number | null>(null);
  const when = recording ? formatDateTime(recording.startedAt) : '';
  const failed = recording !== null && failedId === recording.id;
  const close = () => {
    setFailedId(null);
    onClose();
  };

  return (
    <Modal show={recording !== null} onHide={close} centered size="lg" aria-labelledby="recording-player-title">
      <Modal.Header closeButton closeLabel={strings.common.close}>
        <Modal.Title as="h2" className="h5" id="recording-player-title">
          {strings.recordings.playerTitle(when)}
        </Modal.Title>
      </Modal.Header>
      <Modal.Body>
        {recording && failed && (
          <div className="alert alert-danger mb-0" role="alert">
            {strings.recordings.playFailed}
          </div>
        )}
        {recording && !failed && (
          <video
            key={recording.id}
            className="w-100 rounded bg-black d-block"
            controls
            autoPlay
            playsInline
            preload="metadata"
            src={recordingFileUrl(recording.id)}
            aria-label={strings.recordings.playerTitle(when)}
            data-testid="recording-video"
            onError={() => {
              // Most likely the cookie expired or was never set: ask for a new one next time.
              forgetMediaAccess(client);
              setFailedId(recording.id);
            }}
          />
        )}
      </Modal.Body>
    </Modal>
  );
}

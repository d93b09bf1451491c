import { useId } from 'react';
import Modal from 'react-bootstrap/Modal';
import { strings } from '../../../i18n/strings';
import type { CameraEffects } from '../../../media/effects/cameraEffects';
import { TrackVideo } from '../room/MediaElements';
import { EffectPicker, useEffectsState } from './EffectPicker';

export interface EffectsDialogProps {
  show: boolean;
  onHide: () => void;
  effects: CameraEffects;
  /** What the others see of us (the processed camera), or null while the camera is off. */
  cameraTrack: MediaStreamTrack | null;
}

/**
 * "Backgrounds" from the More menu: a live preview of what is sent and the effect picker. A
 * choice applies at once through replaceTrack: the call is not renegotiated.
 */
export function EffectsDialog({ show, onHide, effects, cameraTrack }: EffectsDialogProps) {
  const titleId = useId();
  const state = useEffectsState(effects.processor);
  return (
    <Modal show={show} onHide={onHide} centered size="lg" aria-labelledby={titleId} data-testid="effects-dialog">
      <Modal.Header closeButton closeLabel={strings.common.close}>
        <Modal.Title as="h2" className="h5" id={titleId}>
          {strings.effects.title}
        </Modal.Title>
      </Modal.Header>
      <Modal.Body className="d-grid gap-3">
        <div className="video-tile position-relative rounded-4 overflow-hidden bg-dark">
          {cameraTrack ? (
            <TrackVideo track={cameraTrack} mirrored label={strings.effects.preview} />
          ) : (
            <p className="position-absolute top-50 start-50 translate-middle text-white-50 small mb-0">{strings.effects.cameraOff}</p>
          )}
        </div>
        <EffectPicker
          state={state}
          onChoose={(effect) => void effects.choose(effect).catch(() => undefined)}
          onCustomImageChanged={() => effects.processor.customImageChanged()}
        />
      </Modal.Body>
      <Modal.Footer>
        <button type="button" className="btn btn-primary rounded-pill px-4" onClick={onHide} data-testid="effects-done">
          {strings.roomMedia.done}
        </button>
      </Modal.Footer>
    </Modal>
  );
}

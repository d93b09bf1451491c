import { useEffect, useId, useState, useSyncExternalStore } from 'react';
import Modal from 'react-bootstrap/Modal';
import { strings } from '../../../i18n/strings';
import { DeviceSwitcher, type DeviceSwitchState, type LocalMediaHost } from '../../../meeting/deviceSwitch';
import { DevicePicker } from '../prejoin/DevicePicker';
import { LevelMeter } from '../prejoin/LevelMeter';

/**
 * One DeviceSwitcher for the time the room is shown: it watches devices being plugged in and out
 * and takes over tracks that end, from mount to unmount.
 */
export function useDeviceSwitcher(host: LocalMediaHost, initialSpeaker?: string): { switcher: DeviceSwitcher; devices: DeviceSwitchState } {
  const [switcher] = useState(() => new DeviceSwitcher(host, initialSpeaker));
  useEffect(() => {
    switcher.start();
    return () => switcher.stop();
  }, [switcher]);
  const devices = useSyncExternalStore(switcher.subscribe, switcher.getState);
  return { switcher, devices };
}

export interface DeviceSettingsProps {
  show: boolean;
  onHide: () => void;
  switcher: DeviceSwitcher;
  devices: DeviceSwitchState;
}

/**
 * "Settings" from the More menu: camera, microphone (with its level) and speaker. A choice applies
 * at once; focus stays inside the dialog until it closes (react-bootstrap's Modal).
 */
export function DeviceSettings({ show, onHide, switcher, devices }: DeviceSettingsProps) {
  const titleId = useId();
  // Labels may have been hidden at the last look, and devices may have come: list them afresh.
  useEffect(() => {
    if (show) void switcher.refreshDevices();
  }, [show, switcher]);
  const busy = devices.busy !== null;
  const micTrack = show ? switcher.localTrack('audio') : null;
  return (
    <Modal show={show} onHide={onHide} centered aria-labelledby={titleId} data-testid="device-settings">
      <Modal.Header closeButton closeLabel={strings.common.close}>
        <Modal.Title as="h2" className="h5" id={titleId}>
          {strings.roomMedia.settingsTitle}
        </Modal.Title>
      </Modal.Header>
      <Modal.Body className="d-grid gap-3">
        {devices.error && (
          <div className="alert alert-warning py-2 mb-0" role="alert">
            {devices.error}
          </div>
        )}
        <DevicePicker
          label={strings.prejoin.camera}
          icon="camera-video"
          devices={devices.devices.videoInputs}
          value={devices.videoDeviceId}
          onChange={(id) => void switcher.switchInput('video', id)}
          disabled={busy}
        />
        <div>
          <DevicePicker
            label={strings.prejoin.microphone}
            icon="mic"
            devices={devices.devices.audioInputs}
            value={devices.audioDeviceId}
            onChange={(id) => void switcher.switchInput('audio', id)}
            disabled={busy}
          />
          <div className="mt-2">
            <LevelMeter track={micTrack} label={strings.prejoin.microphoneLevel} />
          </div>
        </div>
        {devices.speakerSupported && devices.devices.audioOutputs.length > 0 ? (
          <DevicePicker
            label={strings.prejoin.speaker}
            icon="volume-up"
            devices={devices.devices.audioOutputs}
            value={devices.speakerDeviceId}
            onChange={(id) => switcher.setSpeaker(id)}
          />
        ) : (
          <p className="small text-secondary mb-0">{strings.roomMedia.speakerDefault}</p>
        )}
        {busy && (
          <div className="small text-secondary" role="status">
            <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />
            {strings.roomMedia.switching}
          </div>
        )}
      </Modal.Body>
      <Modal.Footer>
        <button type="button" className="btn btn-primary rounded-pill px-4" onClick={onHide} data-testid="device-settings-done">
          {strings.roomMedia.done}
        </button>
      </Modal.Footer>
    </Modal>
  );
}

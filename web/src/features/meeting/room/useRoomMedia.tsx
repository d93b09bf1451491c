import { useEffect, useState, type ReactNode } from 'react';
import { strings } from '../../../i18n/strings';
import type { CameraEffects } from '../../../media/effects/cameraEffects';
import type { LocalMediaHost } from '../../../meeting/deviceSwitch';
import type { StatsSource } from '../../../meeting/networkQuality';
import { EffectsDialog } from '../effects/EffectsDialog';
import { effectsSupported } from '../effects/EffectPicker';
import { DeviceSettings, useDeviceSwitcher } from './DeviceSettings';
import type { MoreMenuItem } from './MoreMenu';
import { ConnectionIndicator } from './NetworkQuality';
import { RecordingBadge, useLocalRecording, type RecordingHost } from './RecordingBadge';

/** The meeting client as the room's media tools see it (MeetingClient fills all three). */
export type RoomMediaHost = LocalMediaHost & RecordingHost & { mediaTransports(): StatsSource[] };

export interface RoomMedia {
  /** Settings and Record entries for the More menu. */
  menuItems: MoreMenuItem[];
  /** The recording badge and the connection bars, for the room's header. */
  header: ReactNode;
  /** The device settings dialog (rendered anywhere in the room). */
  dialogs: ReactNode;
  /** The speaker remote audio plays on (setSinkId), once chosen on the pre-join screen or in Settings. */
  speakerDeviceId: string | undefined;
  /** Front/back camera, when there is another camera to turn to. */
  flipCamera?: { onFlip: () => void; busy: boolean };
}

/** Video effects of the room (issue 8): the client's CameraEffects and the camera as sent. */
export interface RoomEffects {
  controller: CameraEffects;
  cameraTrack: MediaStreamTrack | null;
}

/**
 * Network quality, device switching and local recording for one room, gathered so that the room
 * only places their pieces: the header items, the menu entries and the dialog.
 */
export function useRoomMedia(host: RoomMediaHost, initialSpeaker?: string, effects?: RoomEffects): RoomMedia {
  const { switcher, devices } = useDeviceSwitcher(host, initialSpeaker);
  const { recorder, recording } = useLocalRecording(host);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [effectsOpen, setEffectsOpen] = useState(false);
  const [canUseEffects] = useState(effectsSupported);

  // A switched microphone is a new track that the client's state does not show: the mix follows it here.
  useEffect(() => {
    const unsubscribe = switcher.subscribe(() => recorder.refreshAudio());
    return () => {
      unsubscribe();
    };
  }, [switcher, recorder]);

  const startRecording = () => {
    if (recorder.start()) return;
    const unsupported = recorder.getState().error === 'unsupported';
    host.showNotice(unsupported ? strings.roomMedia.recordUnsupported : strings.roomMedia.recordFailed);
  };
  const stopRecording = () => void recorder.stop();
  // The settings dialog shows a switch's failure; the flip button has no dialog, so say it here.
  const flipCamera = () =>
    void switcher.flipCamera().then(() => {
      const error = switcher.getState().error;
      if (error) host.showNotice(error);
    });

  const menuItems: MoreMenuItem[] = [
    {
      id: 'settings',
      label: strings.roomMedia.settings,
      icon: 'bi-gear',
      onSelect: () => setSettingsOpen(true),
      testId: 'device-settings-open',
    },
    ...(effects && canUseEffects
      ? [
          {
            id: 'effects',
            label: strings.effects.menu,
            icon: 'bi-person-bounding-box',
            onSelect: () => setEffectsOpen(true),
            testId: 'effects-open',
          },
        ]
      : []),
    recording.status === 'idle'
      ? { id: 'record', label: strings.roomMedia.record, icon: 'bi-record-circle', onSelect: startRecording, testId: 'record-start' }
      : {
          id: 'record',
          label: strings.roomMedia.stopRecording,
          icon: 'bi-stop-circle',
          onSelect: stopRecording,
          testId: 'record-stop',
          danger: true,
          disabled: recording.status === 'saving',
        },
  ];

  return {
    menuItems,
    header: (
      <>
        <RecordingBadge recording={recording} onStop={stopRecording} />
        <ConnectionIndicator client={host} />
      </>
    ),
    dialogs: (
      <>
        <DeviceSettings show={settingsOpen} onHide={() => setSettingsOpen(false)} switcher={switcher} devices={devices} />
        {effects && canUseEffects && (
          <EffectsDialog
            show={effectsOpen}
            onHide={() => setEffectsOpen(false)}
            effects={effects.controller}
            cameraTrack={effects.cameraTrack}
          />
        )}
      </>
    ),
    speakerDeviceId: devices.speakerDeviceId,
    flipCamera: switcher.canFlipCamera() ? { onFlip: flipCamera, busy: devices.busy === 'video' } : undefined,
  };
}

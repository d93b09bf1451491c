import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEVICE_PREFERENCES_KEY, loadDevicePreferences } from '../../../media/devices';
import type { LocalMediaHost } from '../../../meeting/deviceSwitch';
import type { MediaSource } from '../../../signal/protocol';
import { FakeTrack, defaultDevices, installFakeAudio, installFakeMedia, uninstallFakeMedia, type FakeMedia } from '../../../test/fakeMedia';
import { DeviceSettings, useDeviceSwitcher } from './DeviceSettings';

function fakeProducer(track: FakeTrack) {
  const producer = {
    closed: false,
    track: track as unknown as MediaStreamTrack,
    replaceTrack: vi.fn(async ({ track: next }: { track: MediaStreamTrack }) => {
      producer.track = next;
    }),
  };
  return producer;
}

function fakeHost(producers: Partial<Record<MediaSource, ReturnType<typeof fakeProducer>>>): LocalMediaHost {
  return {
    localTrackEndedHandler: null,
    localProducer: (source) => producers[source] ?? null,
    localTrackReplaced: vi.fn(),
    preferDevice: vi.fn(),
    showNotice: vi.fn(),
  };
}

function Harness({ host, onHide = () => undefined }: { host: LocalMediaHost; onHide?: () => void }) {
  const { switcher, devices } = useDeviceSwitcher(host);
  return <DeviceSettings show onHide={onHide} switcher={switcher} devices={devices} />;
}

let media: FakeMedia;

beforeEach(() => {
  localStorage.removeItem(DEVICE_PREFERENCES_KEY);
  media = installFakeMedia({ labelsBeforePermission: true });
  installFakeAudio();
});

afterEach(() => {
  Reflect.deleteProperty(HTMLMediaElement.prototype, 'setSinkId');
  uninstallFakeMedia();
});

describe('DeviceSettings', () => {
  it('is a labelled dialog with focus inside, showing the devices in use', async () => {
    const host = fakeHost({ mic: fakeProducer(new FakeTrack('audio', 'mic-2')), camera: fakeProducer(new FakeTrack('video', 'cam-1')) });
    render(<Harness host={host} />);
    const dialog = await screen.findByRole('dialog', { name: 'Audio and video settings' });
    await waitFor(() => expect(screen.getByLabelText('Microphone')).toHaveDisplayValue('USB Headset'));
    expect(screen.getByLabelText('Camera')).toHaveDisplayValue('FaceTime HD Camera');
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(screen.getByRole('meter', { name: 'Microphone level' })).toBeInTheDocument();
    // No setSinkId in this browser: no speaker list, a sentence instead.
    expect(screen.queryByLabelText('Speaker')).toBeNull();
    expect(screen.getByText(/default speaker/)).toBeInTheDocument();
  });

  it('switches the camera at once through replaceTrack and remembers it', async () => {
    const camera = fakeProducer(new FakeTrack('video', 'cam-1'));
    render(<Harness host={fakeHost({ camera })} />);
    const picker = await screen.findByLabelText('Camera');
    await waitFor(() => expect(picker).toHaveDisplayValue('FaceTime HD Camera'));
    await act(async () => {
      fireEvent.change(picker, { target: { value: 'cam-2' } });
    });
    await waitFor(() => expect(camera.replaceTrack).toHaveBeenCalledTimes(1));
    expect((camera.track as unknown as FakeTrack).deviceId).toBe('cam-2');
    expect(loadDevicePreferences().videoDeviceId).toBe('cam-2');
    expect(screen.getByLabelText('Camera')).toHaveDisplayValue('USB Camera');
  });

  it('says why a microphone did not switch', async () => {
    media.options.fail = { audio: 'NotAllowedError' };
    render(<Harness host={fakeHost({ mic: fakeProducer(new FakeTrack('audio', 'mic-1')) })} />);
    const picker = await screen.findByLabelText('Microphone');
    await act(async () => {
      fireEvent.change(picker, { target: { value: 'mic-2' } });
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(/Access to your microphone is blocked/);
  });

  it('offers the speakers where the browser can route sound, and closes with Done', async () => {
    Object.defineProperty(HTMLMediaElement.prototype, 'setSinkId', { configurable: true, value: vi.fn() });
    media.setDevices([...defaultDevices, { kind: 'audiooutput', deviceId: 'spk-2', label: 'Headphones' }]);
    const onHide = vi.fn();
    render(<Harness host={fakeHost({})} onHide={onHide} />);
    const speaker = await screen.findByLabelText('Speaker');
    fireEvent.change(speaker, { target: { value: 'spk-2' } });
    expect(speaker).toHaveDisplayValue('Headphones');
    expect(loadDevicePreferences().speakerDeviceId).toBe('spk-2');
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(onHide).toHaveBeenCalled();
  });
});

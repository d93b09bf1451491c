import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MeetingState } from '../../../meeting/MeetingClient';
import type { MediaSource } from '../../../signal/protocol';
import { FakeTrack, installFakeMedia, uninstallFakeMedia } from '../../../test/fakeMedia';
import { FakeMediaRecorder, FakeMixContext, fakeContext } from '../../../test/fakeRecording';
import { ToastProvider } from '../../../ui/Toasts';
import { MoreMenu } from './MoreMenu';
import { useRoomMedia, type RoomMediaHost } from './useRoomMedia';

function fakeHost(): RoomMediaHost & { notices: string[] } {
  const state = {
    status: 'joined',
    meeting: { code: 'abc-defg-hij' },
    remote: [{ kind: 'audio', track: new FakeTrack('audio', 'remote') }],
  } as unknown as MeetingState;
  const mic = {
    closed: false,
    track: new FakeTrack('audio', 'mic-1') as unknown as MediaStreamTrack,
    replaceTrack: vi.fn(async ({ track }: { track: MediaStreamTrack }) => {
      mic.track = track;
    }),
  };
  const notices: string[] = [];
  return {
    notices,
    getState: () => state,
    subscribe: () => () => undefined,
    localProducer: (source: MediaSource) => (source === 'mic' ? mic : null),
    localTrackReplaced: vi.fn(),
    preferDevice: vi.fn(),
    showNotice: (text: string) => void notices.push(text),
    localTrackEndedHandler: null,
    mediaTransports: () => [],
  };
}

function Room({ host }: { host: RoomMediaHost }) {
  const media = useRoomMedia(host, 'spk-9');
  return (
    <div data-testid="meeting-room">
      <header>{media.header}</header>
      <figure data-testid="video-tile" data-peer-name="Me" aria-label="Me (you)" />
      <MoreMenu items={media.menuItems} />
      {media.dialogs}
      <output data-testid="sink">{media.speakerDeviceId}</output>
    </div>
  );
}

const downloads: string[] = [];

beforeEach(() => {
  installFakeMedia();
  FakeMediaRecorder.instances = [];
  FakeMixContext.instances = [];
  vi.stubGlobal('MediaRecorder', FakeMediaRecorder);
  vi.stubGlobal('AudioContext', FakeMixContext);
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation((() => fakeContext()) as never);
  Object.defineProperty(HTMLCanvasElement.prototype, 'captureStream', {
    configurable: true,
    value: () => new MediaStream([new FakeTrack('video', 'canvas') as unknown as MediaStreamTrack]),
  });
  Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:recording'), revokeObjectURL: vi.fn() });
  downloads.length = 0;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push(this.download);
  });
});

afterEach(() => {
  Reflect.deleteProperty(HTMLCanvasElement.prototype, 'captureStream');
  Reflect.deleteProperty(URL, 'createObjectURL');
  Reflect.deleteProperty(URL, 'revokeObjectURL');
  uninstallFakeMedia();
});

const fileName = /^flux-meet-abc-defg-hij-\d{4}-\d{2}-\d{2}-\d{4}\.webm$/;

describe('useRoomMedia', () => {
  it('records from the More menu, shows the badge, and downloads the .webm on stop', async () => {
    const user = userEvent.setup();
    render(
      <ToastProvider>
        <Room host={fakeHost()} />
      </ToastProvider>,
    );
    expect(screen.getByTestId('network-quality')).toHaveAttribute('data-level', 'unknown');
    expect(screen.queryByTestId('recording-badge')).toBeNull();
    await user.click(screen.getByTestId('more-menu'));
    await user.click(screen.getByTestId('record-start'));
    expect(screen.getByTestId('recording-badge')).toBeInTheDocument();
    const recorder = FakeMediaRecorder.instances[0];
    expect(recorder.state).toBe('recording');
    expect(recorder.options.mimeType).toBe('video/webm;codecs=vp8,opus');
    recorder.emit('data');

    await user.click(screen.getByTestId('more-menu'));
    expect(screen.queryByTestId('record-start')).toBeNull();
    await user.click(screen.getByTestId('record-stop'));
    await waitFor(() => expect(screen.queryByTestId('recording-badge')).toBeNull());
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatch(fileName);
    expect(await screen.findByText(`Recording saved as ${downloads[0]}`)).toBeInTheDocument();
  });

  it('keeps recording our voice after the microphone is switched in Settings', async () => {
    const user = userEvent.setup();
    const host = fakeHost();
    render(<Room host={host} />);
    await user.click(screen.getByTestId('more-menu'));
    await user.click(screen.getByTestId('record-start'));
    const mixed = () => FakeMixContext.instances[0].sources.map((s) => (s.stream?.getTracks()[0] as unknown as FakeTrack).deviceId);
    expect(mixed()).toEqual(['remote', 'mic-1']);
    await user.click(screen.getByTestId('more-menu'));
    await user.click(screen.getByTestId('device-settings-open'));
    await user.selectOptions(await screen.findByLabelText('Microphone'), 'mic-2');
    await waitFor(() => expect(mixed()).toEqual(['remote', 'mic-1', 'mic-2']));
    expect(FakeMixContext.instances[0].sources[1].disconnect).toHaveBeenCalled();
  });

  it('stops and saves by itself when the room goes away (leaving, meeting ended)', async () => {
    const user = userEvent.setup();
    const { unmount } = render(<Room host={fakeHost()} />);
    await user.click(screen.getByTestId('more-menu'));
    await user.click(screen.getByTestId('record-start'));
    FakeMediaRecorder.instances[0].emit('data');
    unmount();
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]).toMatch(fileName);
  });

  it('asks before the tab closes while recording', async () => {
    const user = userEvent.setup();
    render(<Room host={fakeHost()} />);
    const event = () => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(event()).toBe(false);
    await user.click(screen.getByTestId('more-menu'));
    await user.click(screen.getByTestId('record-start'));
    expect(event()).toBe(true);
  });

  it('tells the person when the browser cannot record', async () => {
    vi.stubGlobal('MediaRecorder', undefined);
    const host = fakeHost();
    const user = userEvent.setup();
    render(<Room host={host} />);
    await user.click(screen.getByTestId('more-menu'));
    await user.click(screen.getByTestId('record-start'));
    expect(host.notices).toEqual(['This browser cannot record the meeting.']);
    expect(screen.queryByTestId('recording-badge')).toBeNull();
  });

  it('opens the device settings from the menu and keeps the pre-join speaker', async () => {
    const user = userEvent.setup();
    render(<Room host={fakeHost()} />);
    expect(screen.getByTestId('sink')).toHaveTextContent('spk-9');
    await user.click(screen.getByTestId('more-menu'));
    await user.click(screen.getByTestId('device-settings-open'));
    expect(await screen.findByRole('dialog', { name: 'Audio and video settings' })).toBeInTheDocument();
    await act(async () => {
      await user.click(screen.getByTestId('device-settings-done'));
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});

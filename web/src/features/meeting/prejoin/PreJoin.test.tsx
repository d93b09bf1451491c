import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../api/client';
import type { Meeting } from '../../../api/types';
import { loadDevicePreferences, rememberDevicePreferences } from '../../../media/devices';
import { authResponse, empty, fakeFetch } from '../../../test/fakeFetch';
import { installFakeAudio, installFakeMedia, uninstallFakeMedia, type FakeMedia, type FakeTrack } from '../../../test/fakeMedia';
import { SessionProvider } from '../../auth/session';
import { checkDisplayName, initialsOf, PreJoin, type JoinSettings, type PreJoinProps } from './PreJoin';

const meeting: Meeting = {
  code: 'abc-defg-hij',
  title: 'Weekly sync',
  kind: 'scheduled',
  startsAt: '2030-05-03T14:00:00Z',
  timeZone: 'UTC',
  durationMinutes: 30,
  hasPasscode: false,
  settings: { waitingRoom: false, guestsAllowed: true, muteOnEntry: false, screenShare: 'everyone' },
  host: { id: 2, username: 'bob' },
  isHost: false,
  locked: false,
  createdAt: '2030-05-01T10:00:00Z',
  startedAt: null,
  endedAt: null,
  joinUrl: 'https://meet.example.test/m/abc-defg-hij',
};

let media: FakeMedia;

beforeEach(() => {
  media = installFakeMedia();
  installFakeAudio();
});

afterEach(() => {
  uninstallFakeMedia();
  localStorage.clear();
});

function renderPreJoin(props: Partial<PreJoinProps> = {}, username: string | null = 'alice') {
  const client = new ApiClient({ fetchImpl: fakeFetch(() => empty(401)).fetch });
  if (username) client.setSession(authResponse('token', username));
  const onJoin = vi.fn<(settings: JoinSettings) => void>();
  const all: PreJoinProps = { meeting, onJoin, ...props };
  const view = render(
    <SessionProvider client={client}>
      <PreJoin {...all} />
    </SessionProvider>,
  );
  const rerender = (next: Partial<PreJoinProps>) =>
    view.rerender(
      <SessionProvider client={client}>
        <PreJoin {...all} {...next} />
      </SessionProvider>,
    );
  return { ...view, onJoin, rerender };
}

const micButton = () => screen.getByRole('button', { name: 'Microphone' });
const cameraButton = () => screen.getByRole('button', { name: 'Camera' });
const joinButton = () => screen.getByRole('button', { name: /^join/i });
const previewVideo = () => screen.queryByLabelText('Your camera preview') as HTMLVideoElement | null;
const liveKinds = () => media.liveTracks().map((t) => `${t.kind}:${t.deviceId}`);

/** Renders and waits until the camera and microphone answered. */
async function renderStarted(props: Partial<PreJoinProps> = {}, username: string | null = 'alice') {
  const view = renderPreJoin(props, username);
  await vi.waitFor(() => expect(screen.getByLabelText('Microphone', { selector: 'select' })).toHaveDisplayValue('Built-in Microphone'));
  return view;
}

describe('PreJoin', () => {
  it('shows the mirrored camera, the meeting and the name of the signed-in user', async () => {
    await renderStarted();
    const video = previewVideo();
    expect(video).not.toBeNull();
    expect(video!.muted).toBe(true);
    expect(video!.style.transform).toBe('scaleX(-1)');
    const shown = (video!.srcObject as MediaStream).getTracks() as unknown as FakeTrack[];
    expect(shown.map((t) => t.kind)).toEqual(['video']);
    expect(micButton()).toHaveAttribute('aria-pressed', 'true');
    expect(cameraButton()).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('heading', { name: 'Weekly sync' })).toBeInTheDocument();
    expect(screen.getByText('Hosted by bob')).toBeInTheDocument();
    expect(screen.getByLabelText(/your name/i)).toHaveValue('alice');
    expect(screen.getByLabelText('Camera', { selector: 'select' })).toHaveDisplayValue('FaceTime HD Camera');
    expect(screen.getByRole('meter', { name: 'Microphone level' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('turns the camera off (closing it) and on again, showing the initials meanwhile', async () => {
    await renderStarted();
    const [, camera] = media.tracks;
    fireEvent.click(cameraButton());
    expect(cameraButton()).toHaveAttribute('aria-pressed', 'false');
    expect(camera!.stopped).toBe(true);
    expect(previewVideo()).toBeNull();
    expect(screen.getByText('A')).toBeInTheDocument();
    expect(screen.getByText('Camera is off')).toBeInTheDocument();

    fireEvent.click(cameraButton());
    await vi.waitFor(() => expect(previewVideo()).not.toBeNull());
    expect(cameraButton()).toHaveAttribute('aria-pressed', 'true');
    expect(liveKinds()).toEqual(['audio:mic-1', 'video:cam-1']);
  });

  it('mutes the microphone without closing it', async () => {
    await renderStarted();
    const [mic] = media.tracks;
    fireEvent.click(micButton());
    expect(micButton()).toHaveAttribute('aria-pressed', 'false');
    expect(mic!.enabled).toBe(false);
    expect(mic!.stopped).toBe(false);
    expect(screen.getByRole('meter')).toHaveAttribute('aria-valuenow', '0');
    fireEvent.click(micButton());
    expect(mic!.enabled).toBe(true);
    expect(micButton()).toHaveAttribute('aria-pressed', 'true');
  });

  it('explains how to allow access when it was blocked, and tries again on request', async () => {
    media.options.fail = { audio: 'NotAllowedError', video: 'NotAllowedError' };
    renderPreJoin();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Access to your camera and microphone is blocked');
    expect(alert).toHaveTextContent(/address bar/);
    expect(micButton()).toHaveAttribute('aria-pressed', 'false');
    expect(cameraButton()).toHaveAttribute('aria-pressed', 'false');
    expect(micButton()).toHaveAttribute('aria-describedby', alert.id);
    // Joining without devices stays possible.
    expect(joinButton()).toBeEnabled();

    media.options.fail = {};
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await vi.waitFor(() => expect(previewVideo()).not.toBeNull());
    expect(screen.queryByRole('alert')).toBeNull();
    expect(liveKinds()).toEqual(['audio:mic-1', 'video:cam-1']);
  });

  it('keeps the microphone when only the camera is blocked', async () => {
    media = installFakeMedia({ fail: { video: 'NotAllowedError' }, permissions: { microphone: 'granted', camera: 'denied' } });
    renderPreJoin();
    expect(await screen.findByRole('alert')).toHaveTextContent('Access to your camera is blocked');
    expect(micButton()).toHaveAttribute('aria-pressed', 'true');
    expect(cameraButton()).toHaveAttribute('aria-pressed', 'false');
    expect(liveKinds()).toEqual(['audio:mic-1']);
  });

  it('says joining works without a device when there is none', async () => {
    media.setDevices([{ kind: 'videoinput', deviceId: 'cam-1', label: 'Camera' }]);
    renderPreJoin();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('No microphone was found. You can still join without a microphone.');
    expect(micButton()).toHaveAttribute('aria-pressed', 'false');
    await vi.waitFor(() => expect(previewVideo()).not.toBeNull());
    expect(screen.getByLabelText('Microphone', { selector: 'select' })).toBeDisabled();
    expect(screen.getByLabelText('Microphone', { selector: 'select' })).toHaveDisplayValue('No microphone found');
  });

  it('gives one message when neither device exists', async () => {
    media.setDevices([]);
    renderPreJoin();
    const alerts = await screen.findAllByRole('alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toHaveTextContent('You can still join without a camera and microphone.');
  });

  it('explains that an insecure page cannot use devices', async () => {
    uninstallFakeMedia();
    vi.stubGlobal('isSecureContext', false);
    renderPreJoin();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('secure (https) connection');
    expect(within(alert).queryByRole('button')).toBeNull();
  });

  it('disables Join while the name is empty or too long, and says why', async () => {
    const { onJoin } = await renderStarted();
    const name = screen.getByLabelText(/your name/i);
    fireEvent.change(name, { target: { value: '   ' } });
    expect(joinButton()).toBeDisabled();
    expect(screen.getByText('Enter the name others will see.')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    fireEvent.change(name, { target: { value: 'x'.repeat(65) } });
    expect(joinButton()).toBeDisabled();
    fireEvent.submit(name.closest('form')!);
    expect(onJoin).not.toHaveBeenCalled();
    fireEvent.change(name, { target: { value: 'Ada Lovelace' } });
    expect(joinButton()).toBeEnabled();
  });

  it('hands the running stream and the choices to onJoin, and does not stop it on unmount', async () => {
    const { onJoin, unmount } = await renderStarted();
    fireEvent.change(screen.getByLabelText(/your name/i), { target: { value: '  Ada  ' } });
    fireEvent.click(micButton());
    fireEvent.click(joinButton());
    expect(onJoin).toHaveBeenCalledTimes(1);
    const settings = onJoin.mock.calls[0]![0];
    expect(settings).toEqual({
      displayName: 'Ada',
      audioEnabled: false,
      videoEnabled: true,
      audioDeviceId: 'mic-1',
      videoDeviceId: 'cam-1',
      stream: expect.anything(),
    });
    const handed = settings.stream!.getTracks() as unknown as FakeTrack[];
    expect(handed.map((t) => `${t.kind}:${t.deviceId}`)).toEqual(['audio:mic-1', 'video:cam-1']);
    expect(handed[0]!.enabled).toBe(false);
    expect(loadDevicePreferences()).toMatchObject({ startAudioMuted: true, startVideoMuted: false, displayName: 'Ada' });

    unmount();
    expect(liveKinds()).toEqual(['audio:mic-1', 'video:cam-1']);
  });

  it('stops the preview tracks when left without joining', async () => {
    const { unmount } = await renderStarted();
    expect(liveKinds()).toHaveLength(2);
    unmount();
    expect(liveKinds()).toEqual([]);
  });

  it('leaks no track under React strict mode double mounting', async () => {
    const client = new ApiClient({ fetchImpl: fakeFetch(() => empty(401)).fetch });
    const { unmount } = render(
      <StrictMode>
        <SessionProvider client={client}>
          <PreJoin meeting={meeting} onJoin={() => undefined} />
        </SessionProvider>
      </StrictMode>,
    );
    await vi.waitFor(() => expect(previewVideo()).not.toBeNull());
    expect(liveKinds()).toEqual(['audio:mic-1', 'video:cam-1']);
    unmount();
    expect(liveKinds()).toEqual([]);
  });

  it('stops tracks that arrive after the screen was left', async () => {
    media.hold = true;
    const { unmount } = renderPreJoin();
    await vi.waitFor(() => expect(media.calls).toHaveLength(1));
    unmount();
    await act(() => media.release());
    await vi.waitFor(() => expect(media.tracks).toHaveLength(2));
    expect(liveKinds()).toEqual([]);
  });

  it('asks for the passcode only when the meeting has one and the person is not the host', async () => {
    const { onJoin, unmount } = await renderStarted({ meeting: { ...meeting, hasPasscode: true } });
    expect(screen.getByText('You will need the passcode to join.')).toBeInTheDocument();
    const passcode = screen.getByLabelText('Meeting passcode');
    expect(passcode).toHaveAttribute('type', 'password');
    expect(joinButton()).toBeDisabled();
    fireEvent.change(passcode, { target: { value: 'secret' } });
    fireEvent.click(joinButton());
    expect(onJoin.mock.calls[0]![0].passcode).toBe('secret');
    unmount();

    await renderStarted({ meeting: { ...meeting, hasPasscode: true, isHost: true } });
    expect(screen.queryByLabelText('Meeting passcode')).toBeNull();
    expect(screen.getByText('You are the host of this meeting.')).toBeInTheDocument();
  });

  it('tells the person before joining when the meeting is being recorded', async () => {
    const { unmount } = await renderStarted({ meeting: { ...meeting, recording: true } });
    expect(screen.getByTestId('prejoin-recording')).toHaveTextContent('This meeting is being recorded.');
    unmount();
    await renderStarted();
    expect(screen.queryByTestId('prejoin-recording')).toBeNull();
  });

  it('shows a spinner while joining and the error of a failed join, then takes the stream back', async () => {
    const { onJoin, rerender, unmount } = await renderStarted();
    fireEvent.click(joinButton());
    expect(onJoin).toHaveBeenCalledTimes(1);
    rerender({ joining: true });
    expect(joinButton()).toBeDisabled();
    expect(joinButton()).toHaveTextContent('Joining…');
    expect(joinButton().querySelector('.spinner-border')).not.toBeNull();
    expect(cameraButton()).toBeDisabled();

    rerender({ joining: false, error: 'Wrong passcode' });
    expect(screen.getByRole('alert')).toHaveTextContent('Wrong passcode');
    expect(joinButton()).toBeEnabled();
    expect(cameraButton()).toBeEnabled();
    // The failed join gave the stream back, so leaving now closes the devices.
    unmount();
    expect(liveKinds()).toEqual([]);
  });

  it('keeps Join disabled with the reason when there is no room to join yet', async () => {
    await renderStarted({ onJoin: undefined });
    expect(joinButton()).toBeDisabled();
    expect(joinButton()).toHaveAccessibleDescription('Meeting room arrives with the media plane');
  });

  it('switches the camera live and remembers the choice', async () => {
    await renderStarted();
    const [, first] = media.tracks;
    fireEvent.change(screen.getByLabelText('Camera', { selector: 'select' }), { target: { value: 'cam-2' } });
    const shownDevice = () => ((previewVideo()?.srcObject as MediaStream | undefined)?.getTracks()[0] as unknown as FakeTrack)?.deviceId;
    await vi.waitFor(() => expect(shownDevice()).toBe('cam-2'));
    expect(liveKinds()).toEqual(['audio:mic-1', 'video:cam-2']);
    expect(first!.stopped).toBe(true);
    expect(screen.getByLabelText('Camera', { selector: 'select' })).toHaveDisplayValue('USB Camera');
    expect(loadDevicePreferences().videoDeviceId).toBe('cam-2');
  });

  it('switches the microphone and keeps it muted if it was', async () => {
    await renderStarted();
    fireEvent.click(micButton());
    fireEvent.change(screen.getByLabelText('Microphone', { selector: 'select' }), { target: { value: 'mic-2' } });
    await vi.waitFor(() => expect(liveKinds()).toEqual(['video:cam-1', 'audio:mic-2']));
    await vi.waitFor(() => expect(media.tracks.at(-1)!.enabled).toBe(false));
    expect(screen.getByLabelText('Microphone', { selector: 'select' })).toHaveDisplayValue('USB Headset');
    expect(micButton()).toHaveAttribute('aria-pressed', 'false');
  });

  it('offers speakers only where the browser can route audio to one', async () => {
    await renderStarted();
    expect(screen.queryByLabelText('Speaker', { selector: 'select' })).toBeNull();
  });

  it('offers speakers where setSinkId exists', async () => {
    const proto = HTMLMediaElement.prototype as unknown as Record<string, unknown>;
    proto.setSinkId = () => Promise.resolve();
    try {
      const { onJoin } = await renderStarted();
      const speaker = screen.getByLabelText('Speaker', { selector: 'select' });
      expect(speaker).toHaveDisplayValue('Speakers');
      fireEvent.change(speaker, { target: { value: 'spk-1' } });
      fireEvent.click(joinButton());
      expect(onJoin.mock.calls[0]![0].speakerDeviceId).toBe('spk-1');
    } finally {
      delete proto.setSinkId;
    }
  });

  it('starts as remembered: camera off, chosen microphone, guest name', async () => {
    rememberDevicePreferences({ startVideoMuted: true, audioDeviceId: 'mic-2', displayName: 'Guest Gil' });
    renderPreJoin({}, null);
    await vi.waitFor(() => expect(liveKinds()).toEqual(['audio:mic-2']));
    expect(media.calls).toEqual([{ audio: { deviceId: { exact: 'mic-2' } } }]);
    expect(cameraButton()).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByLabelText(/your name/i)).toHaveValue('Guest Gil');
    expect(screen.getByText('GG')).toBeInTheDocument();
  });

  it('starts muted when the meeting mutes people on entry', async () => {
    await renderStarted({ meeting: { ...meeting, settings: { ...meeting.settings, muteOnEntry: true } } });
    expect(micButton()).toHaveAttribute('aria-pressed', 'false');
    expect(media.tracks[0]!.enabled).toBe(false);
  });

  it('shows the camera as gone when it is unplugged', async () => {
    await renderStarted();
    act(() => media.tracks[1]!.unplug());
    expect(screen.getByRole('alert')).toHaveTextContent('Your camera was disconnected.');
    expect(cameraButton()).toHaveAttribute('aria-pressed', 'false');
    expect(previewVideo()).toBeNull();
  });
});

describe('checkDisplayName', () => {
  it('follows the server rule of 1 to 64 characters', () => {
    expect(checkDisplayName('')).toBeDefined();
    expect(checkDisplayName(' \t ')).toBeDefined();
    expect(checkDisplayName('A')).toBeUndefined();
    expect(checkDisplayName('😀'.repeat(64))).toBeUndefined();
    expect(checkDisplayName('😀'.repeat(65))).toBeDefined();
    expect(checkDisplayName('Ada\nLovelace')).toBeDefined();
  });
});

describe('initialsOf', () => {
  it('takes the first letters of the first and last words', () => {
    expect(initialsOf('ada lovelace')).toBe('AL');
    expect(initialsOf('Ada Byron Lovelace')).toBe('AL');
    expect(initialsOf('alice')).toBe('A');
    expect(initialsOf('  ')).toBe('');
    expect(initialsOf('émile zola')).toBe('ÉZ');
  });
});

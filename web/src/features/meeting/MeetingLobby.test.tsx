import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { empty, fakeFetch, json } from '../../test/fakeFetch';
import { installFakeMedia, uninstallFakeMedia, type FakeMedia } from '../../test/fakeMedia';
import MeetingLobby, { type MeetingLobbyProps } from './MeetingLobby';

const meeting = {
  code: 'abc-defg-hij',
  title: 'Design review',
  kind: 'instant',
  startsAt: null,
  timeZone: 'UTC',
  durationMinutes: 60,
  hasPasscode: false,
  settings: { waitingRoom: false, guestsAllowed: true, muteOnEntry: false, screenShare: 'everyone' },
  host: { id: 2, username: 'bob' },
  isHost: false,
  locked: true,
  createdAt: '2030-05-01T10:00:00Z',
  startedAt: null,
  endedAt: null,
  joinUrl: 'https://meet.example.test/m/abc-defg-hij',
};

let media: FakeMedia;

beforeEach(() => {
  media = installFakeMedia();
});

afterEach(() => uninstallFakeMedia());

function renderLobby(path: string, props: MeetingLobbyProps = {}) {
  const { fetch } = fakeFetch((call) => (call.url.endsWith('/meetings/abc-defg-hij') ? json(200, meeting) : empty(404)));
  vi.stubGlobal('fetch', fetch);
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/m/:code" element={<MeetingLobby {...props} />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('MeetingLobby', () => {
  it('shows the pre-join screen of the meeting, with Join disabled until the room exists', async () => {
    renderLobby('/m/abc-defg-hij');
    expect(await screen.findByRole('heading', { name: 'Design review' })).toBeInTheDocument();
    expect(screen.getByText('The host has locked this meeting.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Join' })).toBeDisabled();
    expect(screen.getByText('Meeting room arrives with the media plane')).toBeInTheDocument();
  });

  it('passes the meeting and the settings to onJoin', async () => {
    const onJoin = vi.fn();
    renderLobby('/m/abc-defg-hij', { onJoin });
    fireEvent.change(await screen.findByLabelText(/your name/i), { target: { value: 'Gil' } });
    // The camera shows once both devices answered (they come in one stream).
    await screen.findByLabelText('Your camera preview');
    fireEvent.click(screen.getByRole('button', { name: 'Join' }));
    expect(onJoin).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'abc-defg-hij' }),
      expect.objectContaining({ displayName: 'Gil', audioEnabled: true, videoEnabled: true }),
    );
  });

  it('says when the meeting does not exist', async () => {
    renderLobby('/m/zzz-zzzz-zzz');
    expect(await screen.findByRole('heading', { name: 'This meeting does not exist or has been cancelled.' })).toBeInTheDocument();
    expect(media.getUserMedia).not.toHaveBeenCalled();
  });
});

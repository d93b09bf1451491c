import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../api/client';
import type { Recording } from '../../../api/recordings';
import { authResponse, empty, fakeFetch, json, type RecordedCall } from '../../../test/fakeFetch';
import { recording } from '../../../test/recordingFixtures';
import { formatBytes } from './RecordingItem';
import { RecordingList } from './RecordingList';

const LIST = '/api/v1/meetings/abc-defg-hij/recordings';
const ACCESS = '/api/v1/recordings/access';

/** A signed-in client whose server answers the list with `lists()` and everything else with `other`. */
function setup(lists: () => Recording[], other: (call: RecordedCall) => Response = () => empty(204)) {
  const { fetch, calls } = fakeFetch((call) => (call.url === LIST ? json(200, { items: lists() }) : other(call)));
  const client = new ApiClient({ fetchImpl: fetch });
  client.setSession(authResponse('tok'));
  const listCalls = () => calls.filter((c) => c.url === LIST).length;
  return { client, calls, listCalls };
}

const rows = () => screen.queryAllByTestId('recording');
const row = (status: string) => rows().find((r) => r.dataset.status === status)!;

afterEach(() => vi.useRealTimers());

describe('RecordingList', () => {
  it('shows each recording with when, who, how long, how big and its status', async () => {
    const { client } = setup(() => [
      recording({ id: 4, status: 'recording', progress: 0, stoppedAt: null, durationSeconds: null, sizeBytes: null, startedBy: 'Bo' }),
      recording({ id: 3, status: 'composing', progress: 42.4, durationSeconds: 600, sizeBytes: null }),
      recording({ id: 2, status: 'ready' }),
      recording({ id: 1, status: 'failed', error: 'No media was received.', durationSeconds: null, sizeBytes: null }),
    ]);
    render(<RecordingList code="abc-defg-hij" client={client} pollMs={60_000} />);
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(screen.getByRole('heading', { name: 'Recordings' })).toBeInTheDocument();

    expect(within(row('recording')).getByTestId('recording-status')).toHaveTextContent('Recording');
    expect(row('recording')).toHaveTextContent('Started by Bo');
    expect(within(row('recording')).queryByRole('button')).toBeNull();

    const bar = within(row('composing')).getByRole('progressbar', { name: 'Preparing the recording' });
    expect(bar).toHaveAttribute('aria-valuenow', '42');
    expect(bar).toHaveTextContent('42 %');
    expect(row('composing')).toHaveTextContent('Processing');
    expect(row('composing')).toHaveTextContent('10 min 0 s');
    expect(within(row('composing')).queryByRole('button')).toBeNull();

    const ready = row('ready');
    expect(ready).toHaveTextContent('Ready');
    expect(ready).toHaveTextContent(`Started by Alice · 42 min 10 s · ${formatBytes(48_200_000)}`);
    expect(within(ready).getByRole('button', { name: /^Play the recording of/ })).toBeInTheDocument();
    const download = within(ready).getByRole('link', { name: /^Download the recording of/ });
    expect(download).toHaveAttribute('href', '/api/v1/recordings/2/file?download=1');
    expect(within(ready).getByRole('button', { name: /^Delete the recording of/ })).toBeInTheDocument();

    expect(row('failed')).toHaveTextContent('Failed');
    expect(row('failed')).toHaveTextContent('No media was received.');
    expect(within(row('failed')).queryByRole('button', { name: /^Play/ })).toBeNull();
  });

  it('says so when the meeting has no recordings, and shows a refusal', async () => {
    const { client } = setup(() => []);
    render(<RecordingList code="abc-defg-hij" client={client} />);
    expect(await screen.findByText('This meeting has no recordings.')).toBeInTheDocument();

    const { fetch } = fakeFetch(() => json(403, { error: { code: 'forbidden', message: 'Not allowed here.' } }));
    const refused = new ApiClient({ fetchImpl: fetch });
    refused.setSession(authResponse('tok'));
    render(<RecordingList code="abc-defg-hij" client={refused} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Not allowed here.');
  });

  it('polls every 3 s while one is recording or composing, and stops when none is', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const answers = [
      [recording({ status: 'composing', progress: 10 })],
      [recording({ status: 'composing', progress: 70 })],
      [recording({ status: 'ready' })],
    ];
    const { client, listCalls } = setup(() => answers[Math.min(listCalls() - 1, answers.length - 1)]!);
    render(<RecordingList code="abc-defg-hij" client={client} />);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(listCalls()).toBe(1);
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '10');

    await act(() => vi.advanceTimersByTimeAsync(2999));
    expect(listCalls()).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(listCalls()).toBe(2);
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '70');

    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(listCalls()).toBe(3);
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(row('ready')).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(listCalls()).toBe(3);
  });

  it('does not poll when nothing changes any more, and stops polling when it goes away', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const idle = setup(() => [recording({ status: 'ready' }), recording({ id: 11, status: 'failed' })]);
    const first = render(<RecordingList code="abc-defg-hij" client={idle.client} />);
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(idle.listCalls()).toBe(1);
    first.unmount();

    const busy = setup(() => [recording({ status: 'recording', progress: 0 })]);
    const { unmount } = render(<RecordingList code="abc-defg-hij" client={busy.client} />);
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(busy.listCalls()).toBe(2);
    unmount();
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(busy.listCalls()).toBe(2);
  });

  it('sets the media cookie before the player opens; the video streams the file without a token; Esc closes it', async () => {
    const user = userEvent.setup();
    const { client, calls } = setup(() => [recording()]);
    render(<RecordingList code="abc-defg-hij" client={client} />);
    const play = await screen.findByRole('button', { name: /^Play the recording of/ });
    // A download link shows, so the cookie is asked for at once.
    await waitFor(() => expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([`GET ${LIST}`, `POST ${ACCESS}`]));

    await user.click(play);
    const video = await screen.findByTestId('recording-video');
    expect(video).toHaveAttribute('src', '/api/v1/recordings/12/file');
    expect(video).toHaveAttribute('controls');
    expect(video.getAttribute('src')).not.toMatch(/tok/);
    expect(screen.getByRole('dialog')).toHaveAccessibleName(/^Recording of/);
    // The grant is fresh: playing did not ask again.
    expect(calls.filter((c) => c.url === ACCESS)).toHaveLength(1);

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(play).toHaveFocus();
  });

  it('asks for the cookie when Play is pressed without one, and says so when it is refused', async () => {
    const user = userEvent.setup();
    let refuse = true;
    const { client, calls } = setup(
      () => [recording()],
      (call) => (call.url === ACCESS && refuse ? json(500, { error: { code: 'internal', message: 'Try later.' } }) : empty(204)),
    );
    render(<RecordingList code="abc-defg-hij" client={client} />);
    const play = await screen.findByRole('button', { name: /^Play the recording of/ });
    await waitFor(() => expect(calls.filter((c) => c.url === ACCESS)).toHaveLength(1));

    await user.click(play);
    expect(await screen.findByRole('alert')).toHaveTextContent('The recording could not be opened.');
    expect(screen.queryByTestId('recording-video')).toBeNull();

    refuse = false;
    await user.click(play);
    expect(await screen.findByTestId('recording-video')).toBeInTheDocument();
    const order = calls.map((c) => c.url);
    expect(order.filter((u) => u === ACCESS)).toHaveLength(3);
  });

  it('shows an error in the player when the file cannot be played', async () => {
    const user = userEvent.setup();
    const { client } = setup(() => [recording()]);
    render(<RecordingList code="abc-defg-hij" client={client} />);
    await user.click(await screen.findByRole('button', { name: /^Play the recording of/ }));
    const video = await screen.findByTestId('recording-video');
    act(() => {
      video.dispatchEvent(new Event('error'));
    });
    expect(within(screen.getByRole('dialog')).getByRole('alert')).toHaveTextContent('The recording could not be played');
  });

  it('deletes only after confirming, then drops the row; Cancel keeps it', async () => {
    const user = userEvent.setup();
    const { client, calls } = setup(() => [recording({ id: 12 }), recording({ id: 9, startedAt: '2026-11-24T10:00:00Z' })]);
    render(<RecordingList code="abc-defg-hij" client={client} />);
    await waitFor(() => expect(rows()).toHaveLength(2));
    const deletes = () => calls.filter((c) => c.method === 'DELETE').map((c) => c.url);

    await user.click(within(rows()[0]!).getByRole('button', { name: /^Delete the recording of/ }));
    let dialog = await screen.findByRole('dialog', { name: 'Delete recording?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(deletes()).toEqual([]);
    expect(rows()).toHaveLength(2);

    await user.click(within(rows()[0]!).getByRole('button', { name: /^Delete the recording of/ }));
    dialog = await screen.findByRole('dialog', { name: 'Delete recording?' });
    expect(dialog).toHaveTextContent('will be removed for everyone');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(deletes()).toEqual(['/api/v1/recordings/12']);
    expect(rows()).toHaveLength(1);
    expect(screen.getByRole('heading', { name: 'Recordings' })).toHaveFocus();
  });

  it('keeps the dialog open with the reason when the delete is refused', async () => {
    const user = userEvent.setup();
    const { client } = setup(
      () => [recording()],
      (call) => (call.method === 'DELETE' ? json(403, { error: { code: 'forbidden', message: 'Only the host can delete.' } }) : empty(204)),
    );
    render(<RecordingList code="abc-defg-hij" client={client} />);
    await user.click(await screen.findByRole('button', { name: /^Delete the recording of/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete recording?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Only the host can delete.');
    expect(rows()).toHaveLength(1);
  });

  it('offers Delete only when canDelete says so', async () => {
    const { client } = setup(() => [recording({ id: 2, canDelete: false }), recording({ id: 1, status: 'failed', canDelete: false })]);
    render(<RecordingList code="abc-defg-hij" client={client} />);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.queryByRole('button', { name: /^Delete/ })).toBeNull();
    expect(screen.getByRole('button', { name: /^Play/ })).toBeInTheDocument();
  });
});

describe('formatBytes', () => {
  it('uses decimal units with one decimal at most', () => {
    expect(formatBytes(512)).toMatch(/^512\s?byte/);
    expect(formatBytes(48_200_000)).toMatch(/^48\.2\s?MB$/);
    expect(formatBytes(1_500_000_000)).toMatch(/^1\.5\s?GB$/);
  });
});

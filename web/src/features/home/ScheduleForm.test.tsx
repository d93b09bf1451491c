import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import { createMeeting, getMeeting, updateMeeting } from '../../api/meetings';
import type { Meeting } from '../../api/types';
import { authResponse, fakeFetch, json } from '../../test/fakeFetch';
import { ScheduleForm } from './ScheduleForm';
import { emptySchedule, scheduleFromMeeting, toMeetingInput, toMeetingPatch, type ScheduleValues } from './scheduleValidation';

const now = new Date(2030, 4, 1, 10, 0);

function setup(onSubmit = vi.fn(async () => undefined)) {
  render(<ScheduleForm initial={emptySchedule(now)} onSubmit={onSubmit} now={() => now} />);
  fireEvent.change(screen.getByLabelText(/^title/i), { target: { value: 'Planning' } });
  return onSubmit;
}

const submit = () => fireEvent.click(screen.getByRole('button', { name: /schedule meeting/i }));

describe('ScheduleForm', () => {
  it('rejects a start time in the past, inline, without submitting', () => {
    const onSubmit = setup();
    fireEvent.change(screen.getByLabelText(/starts at/i), { target: { value: '2030-04-30T10:00' } });
    submit();
    expect(screen.getByText('The start time must be in the future.')).toBeInTheDocument();
    expect(screen.getByLabelText(/starts at/i)).toHaveAttribute('aria-invalid', 'true');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('rejects a duration out of range', () => {
    const onSubmit = setup();
    fireEvent.change(screen.getByLabelText(/duration/i), { target: { value: '1441' } });
    submit();
    expect(screen.getByText('The duration must be between 5 and 1440 minutes.')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('submits valid values with the chosen settings', async () => {
    const onSubmit = setup();
    fireEvent.change(screen.getByLabelText(/starts at/i), { target: { value: '2030-05-03T14:00' } });
    fireEvent.change(screen.getByLabelText(/duration/i), { target: { value: '30' } });
    fireEvent.click(screen.getByLabelText(/waiting room/i));
    fireEvent.change(screen.getByLabelText(/share their screen/i), { target: { value: 'hosts' } });
    submit();
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({
        title: 'Planning',
        startsAt: '2030-05-03T14:00',
        durationMinutes: '30',
        settings: expect.objectContaining({ waitingRoom: true, screenShare: 'hosts' }),
      }),
      [],
    );
  });

  it('shows a server field error under that field', async () => {
    setup(
      vi.fn(async () => {
        throw new ApiError(400, 'validation_failed', 'Passcode has invalid characters.', 'passcode');
      }),
    );
    fireEvent.change(screen.getByLabelText(/passcode/i), { target: { value: 'ü ü ü' } });
    submit();
    await screen.findByText('Passcode has invalid characters.');
    expect(screen.getByLabelText(/passcode/i)).toHaveAttribute('aria-invalid', 'true');
  });
});

describe('auto-record setting', () => {
  const meeting = (settings: Record<string, unknown>): Meeting => ({
    code: 'abc-defg-hij',
    title: 'Review',
    kind: 'scheduled',
    startsAt: '2030-05-03T12:00:00Z',
    timeZone: 'UTC',
    durationMinutes: 60,
    hasPasscode: false,
    settings: { waitingRoom: false, guestsAllowed: true, muteOnEntry: false, screenShare: 'everyone', ...settings },
    host: { id: 1, username: 'alice' },
    isHost: true,
    locked: false,
    createdAt: '2030-05-01T08:00:00Z',
    startedAt: null,
    endedAt: null,
    joinUrl: 'http://localhost/m/abc-defg-hij',
  });
  const autoRecord = () => screen.getByRole('switch', { name: 'Record automatically when the meeting starts' });

  it('is off by default and is sent in the new meeting’s settings when switched on', async () => {
    const onSubmit = vi.fn(async (_values: ScheduleValues) => undefined);
    render(<ScheduleForm initial={emptySchedule(now)} onSubmit={onSubmit} now={() => now} />);
    fireEvent.change(screen.getByLabelText(/^title/i), { target: { value: 'Review' } });
    expect(autoRecord()).not.toBeChecked();
    fireEvent.change(screen.getByLabelText(/starts at/i), { target: { value: '2030-05-03T14:00' } });
    fireEvent.click(autoRecord());
    submit();
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const values = onSubmit.mock.calls[0]![0];

    const { fetch, calls } = fakeFetch(() => json(201, meeting({ autoRecord: true })));
    const client = new ApiClient({ fetchImpl: fetch });
    client.setSession(authResponse('tok'));
    await createMeeting(toMeetingInput(values), client);
    expect(calls[0]!.body).toMatchObject({ settings: { autoRecord: true, waitingRoom: false, screenShare: 'everyone' } });
  });

  it('round-trips through the edit form: loaded on, switched off, PATCHed off', async () => {
    const { fetch, calls } = fakeFetch((call) =>
      json(200, call.method === 'GET' ? meeting({ autoRecord: true }) : meeting({ autoRecord: false })),
    );
    const client = new ApiClient({ fetchImpl: fetch });
    client.setSession(authResponse('tok'));
    const loaded = await getMeeting('abc-defg-hij', client);
    const initial = scheduleFromMeeting(loaded);
    const onSubmit = vi.fn(async (values: ScheduleValues) => {
      await updateMeeting('abc-defg-hij', toMeetingPatch(values, initial, loaded), client);
    });
    render(<ScheduleForm initial={initial} onSubmit={onSubmit} allowUnchangedStart now={() => now} submitLabel="Save changes" />);
    expect(autoRecord()).toBeChecked();
    fireEvent.click(autoRecord());
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toMatchObject({ method: 'PATCH', url: '/api/v1/meetings/abc-defg-hij' });
    expect(calls[1]!.body).toMatchObject({ settings: { autoRecord: false } });
  });

  it('reads a meeting from a server that predates the setting as off', () => {
    render(<ScheduleForm initial={scheduleFromMeeting(meeting({}))} onSubmit={vi.fn()} now={() => now} />);
    expect(autoRecord()).not.toBeChecked();
  });
});

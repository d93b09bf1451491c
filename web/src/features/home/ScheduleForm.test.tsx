import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import { ScheduleForm } from './ScheduleForm';
import { emptySchedule } from './scheduleValidation';

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

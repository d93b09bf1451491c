import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { inviteByEmail, listInvitations, removeInvitation } from '../../api/meetings';
import type { Invitation, Meeting } from '../../api/types';
import { ScheduleForm } from '../home/ScheduleForm';
import { emptySchedule } from '../home/scheduleValidation';
import { addEmails, MAX_INVITES } from './invitationEmails';
import { ManageInvitations } from './Invitations';
import { MeetingCard } from './MeetingCard';

const invitation = (id: number, email: string, change: Partial<Invitation> = {}): Invitation => ({
  id,
  email,
  invitedAt: '2030-05-01T10:00:00Z',
  emailedAt: null,
  registered: false,
  ...change,
});

describe('addEmails', () => {
  it('splits a pasted list, checks each address and drops duplicates in any case', () => {
    expect(addEmails(['ann@example.com'], 'bo@example.com, ANN@example.com; <cy@example.org>\nnot-an-email bo@EXAMPLE.com')).toEqual({
      emails: ['ann@example.com', 'bo@example.com', 'cy@example.org'],
      invalid: ['not-an-email'],
      overLimit: false,
    });
  });

  it('skips addresses already invited and stops at the limit', () => {
    expect(addEmails([], 'ann@example.com dee@example.com', ['Ann@Example.com']).emails).toEqual(['dee@example.com']);
    const full = Array.from({ length: MAX_INVITES }, (_, i) => `p${i}@example.com`);
    expect(addEmails(full, 'one.more@example.com')).toMatchObject({ emails: full, overLimit: true });
  });
});

vi.mock('../../api/meetings', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../api/meetings')>();
  return { ...original, listInvitations: vi.fn(), inviteByEmail: vi.fn(), removeInvitation: vi.fn() };
});

describe('ManageInvitations', () => {
  beforeEach(() => vi.mocked(listInvitations).mockReset());

  it('shows who is invited, adds typed addresses and removes one', async () => {
    vi.mocked(listInvitations).mockResolvedValue([
      invitation(7, 'ann@example.com', { registered: true, emailedAt: '2030-05-01T10:00:01Z' }),
    ]);
    vi.mocked(inviteByEmail).mockResolvedValue([invitation(7, 'ann@example.com'), invitation(8, 'bo@example.com')]);
    vi.mocked(removeInvitation).mockResolvedValue(undefined);
    render(<ManageInvitations code="abc-defg-hij" />);
    const list = await screen.findByTestId('invitation-list');
    expect(within(list).getByText('ann@example.com')).toBeInTheDocument();
    expect(within(list).getByText('Has an account')).toBeInTheDocument();
    expect(within(list).getByText('Email sent')).toBeInTheDocument();

    const field = screen.getByLabelText('Email addresses');
    fireEvent.change(field, { target: { value: 'nope' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(screen.getByText('Not an email address: nope')).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    fireEvent.change(field, { target: { value: 'bo@example.com' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(within(screen.getByTestId('invite-chips')).getByText('bo@example.com')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Send invitations' }));
    await waitFor(() => expect(within(list).getByText('bo@example.com')).toBeInTheDocument());
    expect(inviteByEmail).toHaveBeenCalledWith('abc-defg-hij', ['bo@example.com']);
    expect(screen.queryByTestId('invite-chips')).toBeNull();

    fireEvent.click(within(list).getByRole('button', { name: 'Remove ann@example.com' }));
    await waitFor(() => expect(within(list).queryByText('ann@example.com')).toBeNull());
    expect(removeInvitation).toHaveBeenCalledWith('abc-defg-hij', 7);
  });
});

describe('ScheduleForm with invitations', () => {
  it('hands the entered addresses to the caller with the meeting', async () => {
    const now = new Date(2030, 4, 1, 10, 0);
    const onSubmit = vi.fn(async () => undefined);
    render(<ScheduleForm initial={emptySchedule(now)} onSubmit={onSubmit} now={() => now} invite />);
    fireEvent.change(screen.getByLabelText(/^title/i), { target: { value: 'Planning' } });
    fireEvent.change(screen.getByLabelText(/starts at/i), { target: { value: '2030-05-03T14:00' } });
    fireEvent.paste(screen.getByLabelText('Email addresses'), { clipboardData: { getData: () => 'ann@example.com, bo@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: /schedule meeting/i }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ title: 'Planning' }), ['ann@example.com', 'bo@example.com']);
  });
});

describe('MeetingCard for an invitee', () => {
  it("says 'Invited' and offers none of the host's actions", () => {
    const meeting = {
      code: 'abc-defg-hij',
      title: 'Design review',
      kind: 'scheduled',
      startsAt: '2030-05-03T12:00:00Z',
      timeZone: 'Europe/Berlin',
      durationMinutes: 30,
      hasPasscode: false,
      settings: { waitingRoom: false, guestsAllowed: true, muteOnEntry: false, autoRecord: false, screenShare: 'everyone' },
      host: { id: 2, username: 'Hana' },
      isHost: false,
      invited: true,
      locked: false,
      createdAt: '2030-05-01T10:00:00Z',
      startedAt: null,
      endedAt: null,
      joinUrl: 'https://meet.example.test/m/abc-defg-hij',
    } as Meeting;
    render(
      <MemoryRouter>
        <MeetingCard meeting={meeting} past={false} onDelete={vi.fn()} />
      </MemoryRouter>,
    );
    expect(screen.getByTestId('invited-badge')).toHaveTextContent('Invited');
    expect(screen.getByText('Hosted by Hana')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open' })).toHaveAttribute('href', '/m/abc-defg-hij');
    expect(screen.queryByRole('link', { name: /^Edit/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Delete/ })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { Meeting } from '../../api/types';
import {
  emptySchedule,
  scheduleFromMeeting,
  parseLocalInput,
  toIsoWithOffset,
  toLocalInputValue,
  toMeetingInput,
  toMeetingPatch,
  validateSchedule,
  type ScheduleValues,
} from './scheduleValidation';

const now = new Date(2030, 4, 1, 10, 0); // 1 May 2030 10:00 local time

function values(overrides: Partial<ScheduleValues> = {}): ScheduleValues {
  return { ...emptySchedule(now), title: 'Team sync', ...overrides };
}

describe('validateSchedule', () => {
  it('accepts a future start and a duration in range', () => {
    expect(validateSchedule(values({ startsAt: '2030-05-01T10:30', durationMinutes: '45' }), now)).toEqual({});
  });

  it('rejects a start in the past or right now', () => {
    expect(validateSchedule(values({ startsAt: '2030-05-01T09:59' }), now).startsAt).toMatch(/future/);
    expect(validateSchedule(values({ startsAt: '2030-05-01T10:00' }), now).startsAt).toMatch(/future/);
  });

  it('lets an edit keep a start that has since passed, but not move it into the past', () => {
    expect(validateSchedule(values({ startsAt: '2030-05-01T09:00' }), now, '2030-05-01T09:00').startsAt).toBeUndefined();
    expect(validateSchedule(values({ startsAt: '2030-05-01T08:00' }), now, '2030-05-01T09:00').startsAt).toMatch(/future/);
  });

  it('requires a well-formed start', () => {
    expect(validateSchedule(values({ startsAt: '' }), now).startsAt).toBeDefined();
    expect(validateSchedule(values({ startsAt: '2030-02-31T10:00' }), now).startsAt).toBeDefined();
  });

  it.each(['5', '60', '1440'])('accepts duration %s', (d) => {
    expect(validateSchedule(values({ durationMinutes: d }), now).durationMinutes).toBeUndefined();
  });

  it.each(['4', '0', '1441', '-10', '30.5', 'abc', ''])('rejects duration %j', (d) => {
    expect(validateSchedule(values({ durationMinutes: d }), now).durationMinutes).toMatch(/between 5 and 1440/);
  });

  it('requires a title and bounds the passcode length', () => {
    const errors = validateSchedule(values({ title: '  ', passcode: 'abc' }), now);
    expect(errors.title).toBeDefined();
    expect(errors.passcode).toMatch(/4 to 32/);
    expect(validateSchedule(values({ passcode: 'abcd' }), now).passcode).toBeUndefined();
    expect(validateSchedule(values({ passcode: 'x'.repeat(33) }), now).passcode).toBeDefined();
  });
});

describe('dates', () => {
  it('emptySchedule starts at the next half hour', () => {
    expect(emptySchedule(new Date(2030, 4, 1, 10, 5)).startsAt).toBe('2030-05-01T10:30');
    expect(emptySchedule(new Date(2030, 4, 1, 10, 45)).startsAt).toBe('2030-05-01T11:00');
  });

  it('writes ISO-8601 with the local offset for the same instant', () => {
    const d = parseLocalInput('2030-05-01T09:30')!;
    const iso = toIsoWithOffset(d);
    expect(iso).toMatch(/^2030-05-01T09:30:00[+-]\d{2}:\d{2}$/);
    expect(new Date(iso).getTime()).toBe(d.getTime());
    expect(toLocalInputValue(new Date(iso))).toBe('2030-05-01T09:30');
  });

  it('builds the create body', () => {
    const input = toMeetingInput(values({ startsAt: '2030-05-02T08:00', durationMinutes: '90', passcode: '' }), 'Europe/Paris');
    expect(input).toMatchObject({ title: 'Team sync', kind: 'scheduled', timeZone: 'Europe/Paris', durationMinutes: 90 });
    expect(input.passcode).toBeUndefined();
    expect(new Date(input.startsAt!).getTime()).toBe(new Date(2030, 4, 2, 8, 0).getTime());
  });
});

describe('toMeetingPatch', () => {
  const meeting: Meeting = {
    code: 'abc-defg-hij',
    title: 'Team sync',
    kind: 'scheduled',
    startsAt: '2030-05-02T09:00:00Z',
    timeZone: 'Pacific/Auckland',
    durationMinutes: 60,
    hasPasscode: true,
    passcode: 'secret1',
    settings: { waitingRoom: false, guestsAllowed: true, muteOnEntry: false, screenShare: 'everyone' },
    host: { id: 1, username: 'alice' },
    isHost: true,
    locked: false,
    createdAt: '2030-05-01T08:00:00Z',
    startedAt: null,
    endedAt: null,
    joinUrl: 'http://localhost/m/abc-defg-hij',
  };
  const initial = scheduleFromMeeting(meeting);

  it('sends an empty passcode when the user cleared it, so the server removes it', () => {
    const patch = toMeetingPatch({ ...initial, passcode: '' }, initial, meeting);
    expect(patch.passcode).toBe('');
    expect(patch).not.toHaveProperty('kind');
  });

  it('keeps the passcode out of the patch when there was none and none was typed', () => {
    const open = { ...meeting, hasPasscode: false, passcode: undefined };
    const start = scheduleFromMeeting(open);
    expect(toMeetingPatch(start, start, open)).not.toHaveProperty('passcode');
  });

  it('keeps the meeting zone for an unchanged start and sends a new passcode as typed', () => {
    const patch = toMeetingPatch({ ...initial, passcode: 'newcode' }, initial, meeting);
    expect(patch.passcode).toBe('newcode');
    expect(patch.timeZone).toBe('Pacific/Auckland');
  });
});

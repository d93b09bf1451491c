import type { Meeting, MeetingInput, MeetingPatch, MeetingSettings } from '../../api/types';
import { strings } from '../../i18n/strings';

export const MIN_DURATION = 5;
export const MAX_DURATION = 1440;
export const DEFAULT_DURATION = 60;
export const MAX_TITLE = 200;

/** What the schedule form edits, as the inputs hold it (strings). */
export interface ScheduleValues {
  title: string;
  /** A datetime-local value, "YYYY-MM-DDTHH:mm", in the browser's time zone. */
  startsAt: string;
  durationMinutes: string;
  passcode: string;
  settings: MeetingSettings;
}

export const defaultSettings: MeetingSettings = {
  waitingRoom: false,
  guestsAllowed: true,
  muteOnEntry: false,
  screenShare: 'everyone',
  autoRecord: false,
};

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date as a datetime-local input value in the browser's time zone. */
export function toLocalInputValue(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Parses a datetime-local value as local time; null when malformed. */
export function parseLocalInput(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  // Reject values the Date constructor rolled over (e.g. February 31st).
  if (date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d)) return null;
  return date;
}

/** ISO-8601 with the local UTC offset, e.g. "2030-05-01T09:30:00+02:00" (RFC 3339 §5.6). */
export function toIsoWithOffset(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Initial values: next full half hour, default duration. */
export function emptySchedule(now: Date = new Date()): ScheduleValues {
  const start = new Date(now.getTime());
  start.setSeconds(0, 0);
  start.setMinutes(start.getMinutes() < 30 ? 30 : 60);
  return {
    title: '',
    startsAt: toLocalInputValue(start),
    durationMinutes: String(DEFAULT_DURATION),
    passcode: '',
    settings: { ...defaultSettings },
  };
}

export function scheduleFromMeeting(meeting: Meeting): ScheduleValues {
  return {
    title: meeting.title,
    startsAt: meeting.startsAt ? toLocalInputValue(new Date(meeting.startsAt)) : '',
    durationMinutes: String(meeting.durationMinutes),
    passcode: meeting.passcode ?? '',
    settings: { ...defaultSettings, ...meeting.settings },
  };
}

/**
 * Field errors for the schedule form, keyed by the API's field names. `unchangedStart` lets an
 * edit keep a start time that has since passed as long as the user does not touch it.
 */
export function validateSchedule(values: ScheduleValues, now: Date = new Date(), unchangedStart?: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const title = values.title.trim();
  if (!title) errors.title = strings.schedule.titleRequired;
  else if (title.length > MAX_TITLE) errors.title = strings.schedule.titleTooLong;

  const start = parseLocalInput(values.startsAt);
  if (!values.startsAt || !start) errors.startsAt = strings.schedule.startsAtRequired;
  else if (start.getTime() <= now.getTime() && values.startsAt !== unchangedStart) errors.startsAt = strings.schedule.startsAtPast;

  const duration = values.durationMinutes.trim();
  const minutes = Number(duration);
  if (!/^\d+$/.test(duration) || minutes < MIN_DURATION || minutes > MAX_DURATION) errors.durationMinutes = strings.schedule.durationRange;

  const passcode = values.passcode;
  if (passcode && (passcode.length < 4 || passcode.length > 32)) errors.passcode = strings.schedule.passcodeLength;
  return errors;
}

/** The POST /meetings body for a valid form. */
export function toMeetingInput(values: ScheduleValues, timeZone: string = browserTimeZone()): MeetingInput {
  const start = parseLocalInput(values.startsAt);
  const input: MeetingInput = {
    title: values.title.trim(),
    kind: 'scheduled',
    timeZone,
    durationMinutes: Number(values.durationMinutes),
    settings: values.settings,
  };
  if (start) input.startsAt = toIsoWithOffset(start);
  if (values.passcode) input.passcode = values.passcode;
  return input;
}

/**
 * The PATCH /meetings/{code} body for an edit. An emptied passcode field is sent as "" (which the
 * server takes as "remove the passcode"); leaving it out would keep the old one. A start time the
 * user did not touch keeps the meeting's own zone; a new one is entered in the browser's.
 */
export function toMeetingPatch(values: ScheduleValues, initial: ScheduleValues, meeting: Meeting): MeetingPatch {
  const { kind: _kind, ...input } = toMeetingInput(values, meeting.timeZone);
  const patch: MeetingPatch = input;
  if (!values.passcode && (initial.passcode || meeting.hasPasscode)) patch.passcode = '';
  if (values.startsAt !== initial.startsAt) patch.timeZone = browserTimeZone();
  return patch;
}

// Meetings REST API: create, validate, list with pagination, view, edit, delete, history, .ics.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, assertError, isoIn, registerUser } from './lib/http.mjs';
import { startServer } from './lib/server.mjs';

const CODE = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/;

describe('meetings', () => {
  let server;
  let host;
  let guest;
  const create = (body, token = host.accessToken) => api(server, 'POST', '/api/v1/meetings', { token, body });
  const get = (code, token = host.accessToken) => api(server, 'GET', `/api/v1/meetings/${code}`, { token });

  before(async () => {
    server = await startServer();
    host = await registerUser(server, { username: 'host' });
    guest = await registerUser(server, { username: 'guest' });
  });
  after(async () => {
    await server?.stop();
  });

  it('creates an instant meeting with defaults', async () => {
    const response = await create({ kind: 'instant' });
    assert.equal(response.status, 201, response.text);
    const meeting = response.json;
    assert.match(meeting.code, CODE);
    assert.equal(meeting.kind, 'instant');
    assert.equal(meeting.startsAt, null);
    assert.equal(meeting.title, "host's meeting");
    assert.equal(meeting.durationMinutes, 60);
    assert.equal(meeting.isHost, true);
    assert.equal(meeting.hasPasscode, false);
    assert.equal(meeting.host.id, host.user.id);
    assert.equal(meeting.settings.screenShare, 'everyone');
    assert.ok(meeting.joinUrl.endsWith(`/m/${meeting.code}`));
  });

  it('creates a scheduled meeting with passcode and settings', async () => {
    const startsAt = isoIn(60 * 24);
    const response = await create({
      kind: 'scheduled',
      title: 'Planning',
      startsAt,
      timeZone: 'Europe/Berlin',
      durationMinutes: 45,
      passcode: 'open-sesame',
      settings: { waitingRoom: true, guestsAllowed: false, muteOnEntry: true, screenShare: 'hosts', autoRecord: true },
    });
    assert.equal(response.status, 201, response.text);
    const meeting = response.json;
    assert.match(meeting.code, CODE);
    assert.equal(meeting.kind, 'scheduled');
    assert.equal(Date.parse(meeting.startsAt), Date.parse(startsAt));
    assert.equal(meeting.timeZone, 'Europe/Berlin');
    assert.equal(meeting.durationMinutes, 45);
    assert.equal(meeting.passcode, 'open-sesame');
    assert.equal(meeting.hasPasscode, true);
    assert.deepEqual(meeting.settings, {
      waitingRoom: true,
      guestsAllowed: false,
      muteOnEntry: true,
      screenShare: 'hosts',
      autoRecord: true,
    });
  });

  it('rejects invalid meetings with the offending field', async () => {
    const cases = [
      [{ kind: 'scheduled' }, 'startsAt'],
      [{ kind: 'scheduled', startsAt: isoIn(-60) }, 'startsAt'],
      [{ kind: 'scheduled', startsAt: 'tomorrow at noon' }, 'startsAt'],
      [{ kind: 'instant', durationMinutes: 4 }, 'durationMinutes'],
      [{ kind: 'instant', durationMinutes: 2000 }, 'durationMinutes'],
      [{ kind: 'instant', durationMinutes: 30.5 }, 'durationMinutes'],
      [{ kind: 'instant', passcode: 'ab' }, 'passcode'],
      [{ kind: 'instant', passcode: 'has space' }, 'passcode'],
      [{ kind: 'instant', color: 'blue' }, 'color'],
      [{ kind: 'instant', title: 42 }, 'title'],
      [{ kind: 'instant', title: '' }, 'title'],
      [{ kind: 'instant', title: 'x'.repeat(121) }, 'title'],
      [{ kind: 'webinar' }, 'kind'],
      [{}, 'kind'],
      [{ kind: 'instant', settings: { screenShare: 'nobody' } }, 'settings.screenShare'],
      [{ kind: 'instant', settings: { waitingRoom: 'yes' } }, 'settings.waitingRoom'],
      [{ kind: 'instant', settings: { bogus: true } }, 'settings.bogus'],
    ];
    for (const [body, field] of cases) {
      const response = await create(body);
      assertError(response, 400, { code: 'validation_failed', field });
    }
  });

  it('requires sign-in', async () => {
    assertError(await api(server, 'POST', '/api/v1/meetings', { body: { kind: 'instant' } }), 401);
    assertError(await api(server, 'GET', '/api/v1/meetings'), 401);
  });

  it('lists upcoming meetings in start order and paginates with nextCursor', async () => {
    const owner = await registerUser(server, { username: 'pager' });
    const created = [];
    for (let i = 5; i >= 1; i -= 1) {
      const response = await create({ kind: 'scheduled', title: `M${i}`, startsAt: isoIn(60 * i) }, owner.accessToken);
      assert.equal(response.status, 201);
      created.push(response.json.code);
    }
    const seen = [];
    let cursor = '';
    let pages = 0;
    for (;;) {
      const query = `/api/v1/meetings?scope=upcoming&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await api(server, 'GET', query, { token: owner.accessToken });
      assert.equal(page.status, 200, page.text);
      assert.ok(page.json.items.length <= 2);
      seen.push(...page.json.items.map((m) => m.title));
      pages += 1;
      cursor = page.json.nextCursor;
      if (!cursor) break;
      assert.ok(pages < 10, 'pagination must terminate');
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, ['M1', 'M2', 'M3', 'M4', 'M5']);

    assertError(await api(server, 'GET', '/api/v1/meetings?limit=0', { token: owner.accessToken }), 400, { field: 'limit' });
    assertError(await api(server, 'GET', '/api/v1/meetings?limit=101', { token: owner.accessToken }), 400, {
      field: 'limit',
    });
    assertError(await api(server, 'GET', '/api/v1/meetings?scope=later', { token: owner.accessToken }), 400, {
      field: 'scope',
    });
    assertError(await api(server, 'GET', '/api/v1/meetings?cursor=garbage', { token: owner.accessToken }), 400, {
      field: 'cursor',
    });
  });

  it('shows the passcode only to the host', async () => {
    const { json: meeting } = await create({ kind: 'instant', passcode: 'secret-42' });
    const asHost = await get(meeting.code);
    assert.equal(asHost.status, 200);
    assert.equal(asHost.json.passcode, 'secret-42');
    assert.equal(asHost.json.isHost, true);
    const asGuest = await get(meeting.code, guest.accessToken);
    assert.equal(asGuest.status, 200);
    assert.equal(asGuest.json.passcode, undefined);
    assert.equal(asGuest.json.hasPasscode, true);
    assert.equal(asGuest.json.isHost, false);
    assert.ok(!asGuest.text.includes('secret-42'));
  });

  it('unknown and malformed codes are 404', async () => {
    assertError(await get('abc-defg-hij'), 404, { code: 'not_found' });
    assertError(await get('not-a-code'), 404);
    assertError(await get('ABC-DEFG-HIJ'), 404);
  });

  it('the host can edit a meeting', async () => {
    const { json: meeting } = await create({ kind: 'scheduled', startsAt: isoIn(120) });
    const startsAt = isoIn(180);
    const response = await api(server, 'PATCH', `/api/v1/meetings/${meeting.code}`, {
      token: host.accessToken,
      body: { title: 'Renamed', startsAt, durationMinutes: 90, passcode: 'newpass', settings: { muteOnEntry: true } },
    });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.json.title, 'Renamed');
    assert.equal(Date.parse(response.json.startsAt), Date.parse(startsAt));
    assert.equal(response.json.durationMinutes, 90);
    assert.equal(response.json.passcode, 'newpass');
    assert.equal(response.json.settings.muteOnEntry, true);
    assert.equal(response.json.settings.screenShare, 'everyone', 'unmentioned settings keep their value');
    const reread = await get(meeting.code);
    assert.equal(reread.json.title, 'Renamed');

    assertError(
      await api(server, 'PATCH', `/api/v1/meetings/${meeting.code}`, { token: host.accessToken, body: { kind: 'instant' } }),
      400,
      { field: 'kind' },
    );
    assertError(
      await api(server, 'PATCH', `/api/v1/meetings/${meeting.code}`, {
        token: host.accessToken,
        body: { durationMinutes: 2000 },
      }),
      400,
      { field: 'durationMinutes' },
    );
    const { json: instant } = await create({ kind: 'instant' });
    assertError(
      await api(server, 'PATCH', `/api/v1/meetings/${instant.code}`, { token: host.accessToken, body: { startsAt } }),
      400,
      { field: 'startsAt' },
    );
  });

  it('delete: 204, then 404, but the host still reads the history and sees it under past', async () => {
    const { json: meeting } = await create({ kind: 'scheduled', title: 'Doomed', startsAt: isoIn(30) });
    const deleted = await api(server, 'DELETE', `/api/v1/meetings/${meeting.code}`, { token: host.accessToken });
    assert.equal(deleted.status, 204);
    assertError(await get(meeting.code), 404);
    assertError(await api(server, 'DELETE', `/api/v1/meetings/${meeting.code}`, { token: host.accessToken }), 404);

    const history = await api(server, 'GET', `/api/v1/meetings/${meeting.code}/history`, { token: host.accessToken });
    assert.equal(history.status, 200, history.text);
    assert.equal(history.json.meeting.code, meeting.code);
    assert.equal(history.json.meeting.deleted, true);

    const upcoming = await api(server, 'GET', '/api/v1/meetings?scope=upcoming&limit=100', { token: host.accessToken });
    assert.ok(!upcoming.json.items.some((m) => m.code === meeting.code));
    const past = await api(server, 'GET', '/api/v1/meetings?scope=past&limit=100', { token: host.accessToken });
    assert.equal(past.status, 200);
    assert.ok(past.json.items.some((m) => m.code === meeting.code), 'deleted meeting is listed as past');
  });

  it('history of a meeting for its host (a member): participants, duration, chat count', async () => {
    const { json: meeting } = await create({ kind: 'instant', title: 'Standup' });
    const history = await api(server, 'GET', `/api/v1/meetings/${meeting.code}/history`, { token: host.accessToken });
    assert.equal(history.status, 200, history.text);
    assert.equal(history.json.meeting.title, 'Standup');
    assert.deepEqual(history.json.participants, []);
    assert.equal(history.json.durationSeconds, 0);
    assert.equal(history.json.chatCount, 0);
    assertError(await api(server, 'GET', '/api/v1/meetings/zzz-zzzz-zzz/history', { token: host.accessToken }), 404);
  });

  it('invite.ics for a scheduled meeting; 422 for an instant one', async () => {
    const startsAt = '2099-03-04T05:06:00+02:00';
    const { json: meeting } = await create({
      kind: 'scheduled',
      title: 'Review, part 1; final',
      startsAt,
      durationMinutes: 30,
      passcode: 'ics-pass',
    });
    const ics = await api(server, 'GET', `/api/v1/meetings/${meeting.code}/invite.ics`, { token: host.accessToken });
    assert.equal(ics.status, 200, ics.text);
    assert.match(ics.headers['content-type'], /^text\/calendar/);
    assert.match(ics.headers['content-disposition'] ?? '', new RegExp(`${meeting.code}\\.ics`));
    // RFC 5545 section 3.1: unfold continuation lines before looking at values.
    const unfolded = ics.text.replace(/\r\n[ \t]/g, '');
    assert.ok(ics.text.startsWith('BEGIN:VCALENDAR\r\n'));
    assert.ok(ics.text.includes('BEGIN:VEVENT\r\n'));
    assert.ok(unfolded.includes(meeting.code));
    assert.ok(unfolded.includes('DTSTART:20990304T030600Z\r\n'), 'DTSTART converted to UTC');
    assert.ok(unfolded.includes('DTEND:20990304T033600Z\r\n'));
    assert.ok(unfolded.includes('SUMMARY:Review\\, part 1\\; final'), 'TEXT values escaped (RFC 5545 3.3.11)');
    assert.ok(unfolded.includes('Passcode: ics-pass'), 'the host invite carries the passcode');
    for (const line of ics.text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `line too long: ${line}`);

    const asGuest = await api(server, 'GET', `/api/v1/meetings/${meeting.code}/invite.ics`, { token: guest.accessToken });
    assert.equal(asGuest.status, 200);
    assert.ok(!asGuest.text.replace(/\r\n[ \t]/g, '').includes('ics-pass'), 'non-hosts never see the passcode');

    const { json: instant } = await create({ kind: 'instant' });
    const none = await api(server, 'GET', `/api/v1/meetings/${instant.code}/invite.ics`, { token: host.accessToken });
    assertError(none, 422, { code: 'unprocessable' });
  });
});

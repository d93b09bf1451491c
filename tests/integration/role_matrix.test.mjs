// The role x method table of docs/protocol.md, walked cell by cell against the real binary: the
// test reads the table from the document (so the document stays the single source of truth) and
// makes every role call every method, expecting success where the table says ✓ and `forbidden`
// where it says ✗. A table row without a scenario here, or a scenario the table lacks, fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { api, registerUser } from './lib/http.mjs';
import {
  chromeDeviceCapabilities,
  chromeDtlsParameters,
  chromeOpusParameters,
  chromeVp8Parameters,
} from './lib/media_fixtures.mjs';
import { startServer } from './lib/server.mjs';
import { connect, connectAs } from './lib/ws.mjs';

const ROLES = ['host', 'cohost', 'participant', 'guest'];
const PROTOCOL = path.resolve(import.meta.dirname, '../../docs/protocol.md');

// Splits "a, b (c, d), e" on the commas outside parentheses.
function splitNames(cell) {
  const names = [];
  let depth = 0;
  let current = '';
  for (const char of cell) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      names.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) names.push(current.trim());
  return names;
}

/** {name -> {host: bool, cohost: bool, participant: bool, guest: bool}} from docs/protocol.md. */
export function readRoleTable(markdown) {
  const start = markdown.indexOf('### Role × method permissions');
  assert.ok(start >= 0, 'docs/protocol.md has no "Role × method permissions" section');
  const lines = markdown.slice(start).split('\n');
  const header = lines.findIndex((line) => line.startsWith('| method |'));
  assert.deepEqual(
    lines[header].split('|').slice(2, -1).map((cell) => cell.trim()),
    ROLES,
    'the table columns are host, cohost, participant, guest',
  );
  const cells = new Map();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [names, ...marks] = line.split('|').slice(1, -1).map((cell) => cell.trim());
    assert.equal(marks.length, ROLES.length, line);
    for (const name of splitNames(names)) {
      assert.ok(!cells.has(name), `"${name}" is in the table twice`);
      const allowed = {};
      marks.forEach((mark, index) => {
        assert.ok(mark.startsWith('✓') || mark.startsWith('✗'), `unreadable cell "${mark}" in: ${line}`);
        allowed[ROLES[index]] = mark.startsWith('✓');
      });
      cells.set(name, allowed);
    }
  }
  return cells;
}

let boardElements = 0;
// A new rectangle (the smallest element the whiteboard accepts) for the board scenarios.
function boardElement() {
  boardElements += 1;
  return {
    id: `matrix-${boardElements}`,
    type: 'rectangle',
    version: 1,
    versionNonce: boardElements,
    isDeleted: false,
    x: 0,
    y: 0,
    width: 10,
    height: 10,
  };
}

async function createMeeting(server, token, settings) {
  const response = await api(server, 'POST', '/api/v1/meetings', { token, body: { kind: 'instant', settings } });
  assert.equal(response.status, 201, response.text);
  return response.json.code;
}

describe('role x method table (docs/protocol.md)', () => {
  let server;
  const users = {};
  const sockets = [];
  // The meeting under test: one joined client per role plus `target`, a participant that
  // methods act on, and per-client media state (transports, producers, consumers).
  let room;

  const open = async (token) => {
    const client = await connectAs(server, token);
    sockets.push(client);
    return client;
  };

  const join = async (client, code) => {
    const view = await client.call('join', { code });
    assert.equal(view.state, 'joined', JSON.stringify(view));
    client.media = {};
    client.routerCapabilities = view.routerRtpCapabilities;
    return view;
  };

  const buildRoom = async () => {
    const code = await createMeeting(server, users.host.accessToken, { guestsAllowed: true, waitingRoom: false });
    const clients = {};
    clients.host = await open(users.host.accessToken);
    await join(clients.host, code);
    for (const [role, user] of [['cohost', users.cohost], ['participant', users.participant], ['target', users.target]]) {
      clients[role] = await open(user.accessToken);
      await join(clients[role], code);
    }
    const guest = await api(server, 'POST', `/api/v1/meetings/${code}/guest`, { body: { displayName: 'Gus' } });
    assert.equal(guest.status, 201, guest.text);
    clients.guest = await open(guest.json.guestToken);
    await join(clients.guest, code);
    await clients.host.call('peer.setRole', { peerId: clients.cohost.peerId, role: 'cohost' });
    room = { code, ...clients };
  };

  // Puts the room back the way the scenarios expect it after each call: undoes what the
  // scenario registered in room.cleanups, brings back who left or was removed.
  const restore = async () => {
    if (room.ended) {
      await buildRoom();
      return;
    }
    const cleanups = room.cleanups ?? [];
    room.cleanups = [];
    for (const cleanup of cleanups) await cleanup();
    let rejoined = false;
    for (const role of ['host', 'cohost', 'participant', 'guest', 'target']) {
      const client = room[role];
      if (client.removed) {
        room[role] = await open(users[role].accessToken);
        await join(room[role], room.code);
        rejoined = true;
      } else if (client.left) {
        client.left = false;
        await join(client, room.code);
        rejoined = true;
      }
    }
    if (rejoined) await room.host.call('peer.setRole', { peerId: room.cohost.peerId, role: 'cohost' });
  };
  const cleanup = (step) => (room.cleanups ??= []).push(step);

  // A send transport of `client`, created and connected once.
  const sendTransport = async (client) => {
    if (!client.media.send) {
      const created = await client.call('createTransport', { direction: 'send' });
      await client.call('connectTransport', { transportId: created.id, dtlsParameters: chromeDtlsParameters() });
      client.media.send = created.id;
    }
    return client.media.send;
  };

  const recvTransport = async (client) => {
    if (!client.media.recv) {
      const created = await client.call('createTransport', { direction: 'recv' });
      await client.call('connectTransport', { transportId: created.id, dtlsParameters: chromeDtlsParameters() });
      client.media.recv = created.id;
    }
    return client.media.recv;
  };

  // A consumer of `client` of the target's camera.
  const consumer = async (client) => {
    if (client.media.consumer) return client.media.consumer;
    if (!room.target.media.camera) {
      const transportId = await sendTransport(room.target);
      const produced = await room.target.call('produce', {
        transportId,
        kind: 'video',
        rtpParameters: chromeVp8Parameters({ mid: '1' }),
        appData: { source: 'camera' },
      });
      room.target.media.camera = produced.id;
    }
    const consumed = await client.call('consume', {
      transportId: await recvTransport(client),
      producerId: room.target.media.camera,
      rtpCapabilities: chromeDeviceCapabilities(client.routerCapabilities),
    });
    client.media.consumer = consumed.id;
    return consumed.id;
  };

  const mic = async (client) => {
    if (!client.media.mic) {
      const transportId = await sendTransport(client);
      const produced = await client.call('produce', {
        transportId,
        kind: 'audio',
        rtpParameters: chromeOpusParameters({ mid: '0' }),
        appData: { source: 'mic' },
      });
      client.media.mic = produced.id;
    }
    return client.media.mic;
  };

  // Someone waiting in the lobby, for the lobby methods.
  const waiter = async () => {
    await room.host.call('meeting.updateSettings', { waitingRoom: true });
    cleanup(() => room.host.call('meeting.updateSettings', { waitingRoom: false }));
    const client = await open(users.waiter.accessToken);
    const view = await client.call('join', { code: room.code });
    assert.equal(view.state, 'waiting');
    return client;
  };

  // One scenario per table entry: the call `actor` makes (the whole response is returned).
  const scenarios = {
    join: async (actor) => {
      await actor.call('leave');
      actor.left = true;
      const response = await actor.request('join', { code: room.code });
      if (response.ok) actor.left = false;
      actor.media = {};
      return response;
    },
    leave: async (actor) => {
      const response = await actor.request('leave');
      if (response.ok) actor.left = true;
      actor.media = {};
      return response;
    },
    'chat.send': (actor) => actor.request('chat.send', { text: 'hello' }),
    'chat.history': (actor) => actor.request('chat.history', {}),
    'chat.edit (own)': async (actor) => {
      const sent = await actor.call('chat.send', { text: 'typo' });
      return actor.request('chat.edit', { id: sent.id, text: 'fixed' });
    },
    setName: (actor) => actor.request('setName', { displayName: 'Renamed' }),
    raiseHand: (actor) => actor.request('raiseHand'),
    lowerHand: (actor) => actor.request('lowerHand'),
    reaction: (actor) => actor.request('reaction', { emoji: '👍' }),
    'peer.unmute (self)': (actor) => actor.request('peer.unmute', { kind: 'audio' }),
    'peer.mute (self)': (actor) => actor.request('peer.mute', { peerId: actor.peerId, kind: 'audio' }),
    'chat.delete own message': async (actor) => {
      const sent = await actor.call('chat.send', { text: 'oops' });
      return actor.request('chat.delete', { id: sent.id });
    },
    "chat.delete anyone's message": async (actor) => {
      const sent = await room.target.call('chat.send', { text: 'mine' });
      return actor.request('chat.delete', { id: sent.id });
    },
    'peer.mute (others)': (actor) => actor.request('peer.mute', { peerId: room.target.peerId, kind: 'audio' }),
    'peer.muteAll': (actor) => actor.request('peer.muteAll', {}),
    'lobby.admit': async (actor) => actor.request('lobby.admit', { peerId: (await waiter()).peerId }),
    'lobby.deny': async (actor) => actor.request('lobby.deny', { peerId: (await waiter()).peerId }),
    'meeting.lock': (actor) => {
      cleanup(() => room.host.call('meeting.unlock'));
      return actor.request('meeting.lock');
    },
    'meeting.unlock': async (actor) => {
      await room.host.call('meeting.lock');
      cleanup(() => room.host.call('meeting.unlock'));
      return actor.request('meeting.unlock');
    },
    'meeting.updateSettings': (actor) => actor.request('meeting.updateSettings', { muteOnEntry: false }),
    'peer.remove': async (actor) => {
      const response = await actor.request('peer.remove', { peerId: room.target.peerId });
      if (response.ok) room.target.removed = true;
      return response;
    },
    'peer.setRole': (actor) => {
      cleanup(() => room.host.call('peer.setRole', { peerId: room.target.peerId, role: 'participant' }));
      return actor.request('peer.setRole', { peerId: room.target.peerId, role: 'cohost' });
    },
    'meeting.end': async (actor) => {
      const response = await actor.request('meeting.end');
      if (response.ok) room.ended = true;
      return response;
    },
    'recording.start': (actor) => {
      cleanup(() => room.host.request('recording.stop'));
      return actor.request('recording.start');
    },
    'recording.stop': async (actor) => {
      await room.host.call('recording.start');
      cleanup(() => room.host.request('recording.stop'));
      return actor.request('recording.stop');
    },
    'board.sync': (actor) => actor.request('board.sync', {}),
    'board.update': (actor) => actor.request('board.update', { elements: [boardElement()] }),
    'board.cursor': (actor) => actor.request('board.cursor', { x: 10, y: 20, pointer: 'down' }),
    'board.open': (actor) => {
      cleanup(() => room.host.call('board.close'));
      return actor.request('board.open');
    },
    'board.close': async (actor) => {
      await room.host.call('board.open');
      cleanup(() => room.host.call('board.close'));
      return actor.request('board.close');
    },
    'board.setReadOnly': (actor) => {
      cleanup(() => room.host.call('board.setReadOnly', { readOnly: false }));
      return actor.request('board.setReadOnly', { readOnly: true });
    },
    'board.viewport': (actor) => actor.request('board.viewport', { scrollX: 0, scrollY: -40, zoom: 1.5 }),
    'board.update while read-only': async (actor) => {
      await room.host.call('board.setReadOnly', { readOnly: true });
      cleanup(() => room.host.call('board.setReadOnly', { readOnly: false }));
      return actor.request('board.update', { elements: [boardElement()] });
    },
    getRouterRtpCapabilities: (actor) => actor.request('getRouterRtpCapabilities', {}),
    createTransport: async (actor) => {
      const response = await actor.request('createTransport', { direction: 'send' });
      if (response.ok) actor.media.spare = response.data.id;
      return response;
    },
    connectTransport: async (actor) => {
      const transportId = actor.media.spare ?? (await actor.call('createTransport', { direction: 'send' })).id;
      return actor.request('connectTransport', { transportId, dtlsParameters: chromeDtlsParameters() });
    },
    restartIce: async (actor) => actor.request('restartIce', { transportId: await sendTransport(actor) }),
    'produce (camera, mic)': async (actor) => {
      const response = await actor.request('produce', {
        transportId: await sendTransport(actor),
        kind: 'audio',
        rtpParameters: chromeOpusParameters({ mid: '0' }),
        appData: { source: 'mic' },
      });
      if (response.ok) actor.media.mic = response.data.id;
      return response;
    },
    closeProducer: async (actor) => {
      const producerId = await mic(actor);
      actor.media.mic = undefined;
      return actor.request('closeProducer', { producerId });
    },
    pauseProducer: async (actor) => actor.request('pauseProducer', { producerId: await mic(actor) }),
    resumeProducer: async (actor) => actor.request('resumeProducer', { producerId: await mic(actor) }),
    consume: async (actor) => {
      await consumer(room.host);  // makes sure the target produces
      return actor.request('consume', {
        transportId: await recvTransport(actor),
        producerId: room.target.media.camera,
        rtpCapabilities: chromeDeviceCapabilities(actor.routerCapabilities),
      });
    },
    resumeConsumer: async (actor) => actor.request('resumeConsumer', { consumerId: await consumer(actor) }),
    setConsumerVisible: async (actor) =>
      actor.request('setConsumerVisible', { consumerId: await consumer(actor), visible: false }),
    setConsumerLayers: async (actor) =>
      actor.request('setConsumerLayers', { consumerId: await consumer(actor), spatialLayer: 1 }),
    requestKeyframe: async (actor) => actor.request('requestKeyframe', { consumerId: await consumer(actor) }),
    getTransportStats: (actor) => actor.request('getTransportStats', {}),
    'produce (screen) when `screenShare` is `"hosts"`': async (actor) => {
      await room.host.call('meeting.updateSettings', { screenShare: 'hosts' });
      cleanup(() => room.host.call('meeting.updateSettings', { screenShare: 'everyone' }));
      return actor.request('produce', {
        transportId: await sendTransport(actor),
        kind: 'video',
        rtpParameters: chromeVp8Parameters({ mid: '2', simulcast: false }),
        appData: { source: 'screen' },
      });
    },
  };

  before(async () => {
    server = await startServer();
    for (const name of ['host', 'cohost', 'participant', 'target', 'waiter']) {
      users[name] = await registerUser(server, { username: `matrix_${name}` });
    }
    await buildRoom();
  });
  after(async () => {
    for (const client of sockets) client.terminate();
    await server?.stop();
  });

  it('every table entry has a scenario and every scenario is in the table', () => {
    const table = readRoleTable(readFileSync(PROTOCOL, 'utf8'));
    assert.deepEqual([...table.keys()].sort(), Object.keys(scenarios).sort());
  });

  it('each role gets exactly what the table says, for every method', async () => {
    const table = readRoleTable(readFileSync(PROTOCOL, 'utf8'));
    const outcomes = [];
    for (const [name, allowed] of table) {
      // Least powerful first, so that a refused call has nothing to undo for the next role.
      for (const role of [...ROLES].reverse()) {
        const actor = room[role];
        const response = await scenarios[name](actor);
        const expected = allowed[role] ? 'ok' : 'forbidden';
        const got = response.ok ? 'ok' : response.error.code;
        outcomes.push({ name, role, expected, got, error: response.error?.message });
        await restore();
      }
    }
    const wrong = outcomes.filter((outcome) => outcome.expected !== outcome.got);
    assert.deepEqual(wrong, [], `cells that differ from docs/protocol.md:\n${JSON.stringify(wrong, null, 1)}`);
    assert.equal(outcomes.length, Object.keys(scenarios).length * ROLES.length);
  });

  it('a refused host method changes nothing for the others', async () => {
    const before = await room.host.call('chat.history', {});
    await room.participant.expectError('peer.remove', { peerId: room.target.peerId }, 'forbidden');
    await room.guest.expectError('meeting.lock', undefined, 'forbidden');
    const view = await room.target.call('chat.send', { text: 'still here' });
    assert.ok(view.id > 0);
    const afterward = await room.host.call('chat.history', {});
    assert.equal(afterward.messages.length, before.messages.length + 1);
    // The target was not removed and the meeting is not locked: a new peer can still join.
    const late = await connect(server);
    sockets.push(late);
    await late.hello(users.waiter.accessToken);
    const joined = await late.call('join', { code: room.code });
    assert.equal(joined.state, 'joined');
  });
});

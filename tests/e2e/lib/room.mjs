// Steps of the meeting-room tests: creating a meeting, joining it from the pre-join screen, and
// reading what WebRTC really receives and sends (RTP statistics) from inside the page.
import assert from 'node:assert/strict';
import { registerViaApi } from './flows.mjs';

/** Registers `user` in the context's profile and creates an instant meeting; returns its code. */
export async function createMeeting(context, user, settings = { guestsAllowed: true, waitingRoom: false }, title = 'E2E meeting') {
  const token = await registerViaApi(context, user);
  const created = await context.request.post('/api/v1/meetings', {
    data: { kind: 'instant', title, settings },
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(created.status(), 201, await created.text());
  return (await created.json()).code;
}

/** As a person would: opens /m/<code>, waits for the camera preview, types a name and joins. */
export async function joinFromLobby(page, code, name) {
  await page.goto(`/m/${code}`);
  await page.waitForFunction(() => [...document.querySelectorAll('video')].some((v) => v.videoWidth > 0), null, {
    timeout: 15_000,
  });
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByTestId('meeting-room').waitFor({ timeout: 30_000 });
}

/**
 * Test-only instrumentation, installed before any page script runs: every RTCPeerConnection and
 * WebSocket the page creates is kept in window.__fluxPcs / window.__fluxSockets, so a test can
 * read WebRTC statistics and drop the signaling connection. The app itself is unchanged (it does
 * not expose its connections); the subclasses behave exactly like the originals.
 */
export async function installMediaProbes(context) {
  await context.addInitScript(() => {
    const pcs = [];
    const sockets = [];
    Object.defineProperty(window, '__fluxPcs', { value: pcs });
    Object.defineProperty(window, '__fluxSockets', { value: sockets });
    const NativePeerConnection = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends NativePeerConnection {
      constructor(...args) {
        super(...args);
        pcs.push(this);
      }
    };
    const NativeWebSocket = window.WebSocket;
    window.WebSocket = class extends NativeWebSocket {
      constructor(...args) {
        super(...args);
        sockets.push(this);
      }
    };
  });
}

/**
 * The inbound and outbound RTP streams of the page's open peer connections, one plain object
 * each: {direction, kind, trackId, packets, framesDecoded, frameWidth, active}.
 */
export function rtpStreams(page) {
  return page.evaluate(async () => {
    const streams = [];
    for (const pc of window.__fluxPcs ?? []) {
      if (pc.signalingState === 'closed') continue;
      const report = await pc.getStats();
      const tracks = new Map();
      // Outbound streams name their track through the media-source they encode.
      for (const s of report.values()) if (s.type === 'media-source') tracks.set(s.id, s.trackIdentifier);
      for (const s of report.values()) {
        if (s.type === 'inbound-rtp') {
          streams.push({
            direction: 'in',
            kind: s.kind,
            ssrc: s.ssrc,
            trackId: s.trackIdentifier,
            packets: s.packetsReceived ?? 0,
            framesDecoded: s.framesDecoded ?? 0,
            frameWidth: s.frameWidth ?? 0,
          });
        } else if (s.type === 'outbound-rtp') {
          streams.push({
            direction: 'out',
            kind: s.kind,
            ssrc: s.ssrc,
            trackId: tracks.get(s.mediaSourceId) ?? null,
            packets: s.packetsSent ?? 0,
            rid: s.rid ?? null,
            active: s.active ?? true,
          });
        }
      }
    }
    return streams;
  });
}

/** The id of the track the named tile's <video> plays (a remote one is its consumer's track). */
export async function videoTrackId(page, label) {
  const video = page.locator(`video[aria-label="${label}"]`);
  await video.waitFor({ state: 'attached', timeout: 30_000 });
  return video.getAttribute('data-track-id');
}

/** The ids of the remote audio tracks the page plays. */
export function audioTrackIds(page) {
  return page.evaluate(() => [...document.querySelectorAll('audio[data-track-id]')].map((a) => a.dataset.trackId));
}

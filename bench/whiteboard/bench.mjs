// Whiteboard load generator (docs/protocol.md "Whiteboard"), driven by bench/whiteboard/run.sh
// against a fresh server it started. PEERS people join one meeting over real WebSockets, the host
// opens the board, and every peer draws at RATE board.update a second for SECONDS: half of them
// freehand strokes (one freedraw element that grows a point per update, a new stroke after 50
// points), half drag rectangles (same id, the version and the position moving), full Excalidraw
// elements as the web client sends them. The sender's clock rides in customData (the server
// keeps and relays elements exactly as sent); every receiving peer times each board.elements.
// Reports: delivery latency p50/p99/max over all receivers, board.update round trip, bytes of
// each update sent and of each delivery received, deliveries a second, server CPU (% of one core
// over the steady window, after a warm-up) from /proc/<pid>/stat.
// Sender and receivers are in this one process (one clock, performance.now()); latencies include
// its own event-loop delay, so its utilisation is printed with them.
//
// Usage: node bench.mjs <baseUrl> <serverPid>
import { randomBytes, randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CLK_TCK, SignalConnection, cpuTimes, firstErrors, log, percentile, pool, post, registerUsers, sleep } from '../lib/load.mjs';

const [baseUrl, pidArg] = process.argv.slice(2);
const SERVER_PID = Number(pidArg);
const PEERS = Number(process.env.BENCH_BOARD_PEERS ?? 20);
const RATE = Number(process.env.BENCH_BOARD_RATE ?? 10); // updates a second per peer
const SECONDS = Number(process.env.BENCH_BOARD_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_BOARD_WARMUP ?? 3); // not in the CPU or latency figures
const STROKE_UPDATES = 50; // pointer moves per stroke or drag (5 s at 10/s), then the next one starts
const DRAIN_MS = 5_000;
const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/ws`;

const newId = () => randomBytes(15).toString('base64url').slice(0, 20);

/** What Excalidraw 0.18 puts in every element (packages/element/src/newElement.ts). */
function baseElement(id, type, x, y) {
  return {
    id, type, x, y, width: 0, height: 0, angle: 0,
    strokeColor: '#1e1e1e', backgroundColor: 'transparent', fillStyle: 'solid', strokeWidth: 2, strokeStyle: 'solid',
    roughness: 1, opacity: 100, groupIds: [], frameId: null, index: 'a0', roundness: null, seed: randomInt(1, 2 ** 31),
    version: 1, versionNonce: randomInt(1, 2 ** 31), isDeleted: false, boundElements: null, updated: Date.now(),
    link: null, locked: false,
  };
}

/**
 * One peer's drawing: each next() is the element after one more pointer move, as the client
 * sends it (the whole element, the version one higher).
 */
class Drawing {
  constructor(index) {
    this.freehand = index % 2 === 0;
    this.origin = { x: (index % 5) * 300, y: Math.floor(index / 5) * 300 };
    this.step = 0;
    this.element = null;
  }

  next(sentAt) {
    if (this.step % STROKE_UPDATES === 0) {
      const { x, y } = this.origin;
      this.element = this.freehand
        ? { ...baseElement(newId(), 'freedraw', x, y), points: [[0, 0]], pressures: [], simulatePressure: true, lastCommittedPoint: null }
        : { ...baseElement(newId(), 'rectangle', x, y), width: 120, height: 80, roundness: { type: 3 } };
    }
    this.step++;
    const e = this.element;
    const t = this.step % STROKE_UPDATES;
    if (this.freehand) {
      const [lastX, lastY] = e.points.at(-1);
      const point = [lastX + 4 + (t % 3), lastY + Math.round(8 * Math.sin(t / 3))];
      const points = [...e.points, point];
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      this.element = {
        ...e, points, lastCommittedPoint: point,
        width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys),
      };
    } else {
      this.element = { ...e, x: this.origin.x + 3 * t, y: this.origin.y + 2 * t };
    }
    this.element = {
      ...this.element, version: e.version + 1, versionNonce: randomInt(1, 2 ** 31), updated: Date.now(),
      customData: { benchSentAt: sentAt },
    };
    return this.element;
  }
}

const stats = {
  // The steady window (performance.now()): updates sent in it are counted and timed.
  windowStart: Infinity,
  windowEnd: Infinity,
  latencies: [], // ms from send to each receiver's board.elements
  acks: [], // ms of board.update round trips
  sentBytes: [], // frame size of each board.update
  receivedBytes: [], // frame size of each board.elements
  sent: 0, accepted: 0, received: 0, errors: [],
};

class Peer extends SignalConnection {
  onNotification(message, now, bytes) {
    if (message.method !== 'board.elements') return;
    let counted = false;
    for (const element of message.data.elements) {
      const sentAt = element.customData?.benchSentAt;
      if (!inWindow(sentAt)) continue;
      counted = true;
      stats.received++;
      stats.latencies.push(now - sentAt);
    }
    if (counted) stats.receivedBytes.push(bytes);
  }
}

const inWindow = (sentAt) => typeof sentAt === 'number' && sentAt >= stats.windowStart && sentAt < stats.windowEnd;

function draw(peer, drawing) {
  const sentAt = performance.now();
  const element = drawing.next(sentAt);
  const measured = inWindow(sentAt);
  if (measured) stats.sent++;
  peer
    .call('board.update', { elements: [element] }, (bytes) => measured && stats.sentBytes.push(bytes))
    .then((result) => {
      if (!measured) return;
      stats.acks.push(performance.now() - sentAt);
      if (result.superseded.length === 0) stats.accepted++;
    }, (error) => stats.errors.push(error));
}

async function main() {
  const tokens = await registerUsers(baseUrl, PEERS);
  const { code } = await post(baseUrl, '/api/v1/meetings', { kind: 'instant', title: 'board bench' }, tokens[0]);
  const peers = tokens.map((_, i) => new Peer(wsUrl, i));
  const joinErrors = await pool(PEERS, 10, async (i) => {
    await peers[i].open();
    await peers[i].call('hello', { token: tokens[i] });
    const joined = await peers[i].call('join', { code });
    if (joined.state !== 'joined') throw new Error(`join: state ${joined.state}`);
    await peers[i].call('board.sync', {});
  });
  if (joinErrors.length) throw new Error(`join: ${joinErrors.length} failed: ${firstErrors(joinErrors)}`);
  await peers[0].call('board.open', {});
  log(`${PEERS} peers joined ${code}; drawing ${RATE}/s each for ${SECONDS} s (first ${WARMUP_SECONDS} s warm-up)`);

  const drawings = peers.map((_, i) => new Drawing(i));
  const interval = 1000 / RATE;
  const timers = [];
  // Peer i starts at offset i/PEERS of an interval, so the updates are spread evenly in time.
  for (const [i, peer] of peers.entries()) {
    timers.push(setTimeout(() => {
      draw(peer, drawings[i]);
      timers.push(setInterval(() => draw(peer, drawings[i]), interval));
    }, (i / PEERS) * interval));
  }
  await sleep(WARMUP_SECONDS * 1000);
  const cpuBefore = cpuTimes(SERVER_PID);
  const eluBefore = performance.eventLoopUtilization();
  const started = performance.now();
  stats.windowStart = started;
  await sleep((SECONDS - WARMUP_SECONDS) * 1000);
  stats.windowEnd = performance.now();
  const elapsed = (stats.windowEnd - started) / 1000;
  const cpuAfter = cpuTimes(SERVER_PID);
  const userSeconds = (cpuAfter.user - cpuBefore.user) / CLK_TCK;
  const cpuSeconds = userSeconds + (cpuAfter.system - cpuBefore.system) / CLK_TCK;
  const elu = performance.eventLoopUtilization(eluBefore).utilization;
  for (const timer of timers) clearInterval(timer); // clears the start-up timeouts too
  // The last updates of the window are still on their way: wait (bounded) for them.
  const expected = () => stats.accepted * (PEERS - 1);
  const deadline = performance.now() + DRAIN_MS;
  while (stats.received < expected() && performance.now() < deadline) await sleep(50);
  await Promise.race([Promise.allSettled(peers.map((peer) => peer.call('leave'))), sleep(5_000)]);
  for (const peer of peers) peer.close();
  return report({ cpuSeconds, userSeconds, elu, elapsed, expected: expected() });
}

const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');
const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;

function report({ cpuSeconds, userSeconds, elu, elapsed, expected }) {
  // CPU per update (its validation, its 19 relays, the saves it causes) hardly depends on what
  // else runs on the machine, unlike CPU a second, which only means something if the server keeps up.
  const cpuPerUpdate = cpuSeconds / stats.accepted;
  const latencies = stats.latencies.sort((a, b) => a - b);
  const acks = stats.acks.sort((a, b) => a - b);
  const problems = [
    stats.errors.length ? `${stats.errors.length} board.update failed: ${firstErrors(stats.errors)}` : null,
    stats.accepted < stats.sent ? `${stats.sent - stats.accepted} updates superseded or unanswered` : null,
    stats.received < expected ? `${expected - stats.received} deliveries missing` : null,
  ].filter(Boolean).join('; ');
  log(`${stats.sent} updates sent in ${elapsed.toFixed(1)} s, ${stats.received}/${expected} deliveries`);
  console.log('| peers | updates/s (each) | updates sent | deliveries (/s) | latency p50 / p99 (max) | board.update round trip p50 / p99 | bytes per update sent / per delivery received | server CPU | server CPU per update (user / kernel) | client loop busy | problems |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  console.log(`| ${PEERS} | ${RATE} | ${stats.sent.toLocaleString('en-US')} (${Math.round(stats.sent / elapsed)}/s) | `
    + `${stats.received.toLocaleString('en-US')}/${expected.toLocaleString('en-US')} (${Math.round(stats.received / elapsed).toLocaleString('en-US')}/s) | `
    + `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 99))} (${ms(latencies.at(-1))}) | `
    + `${ms(percentile(acks, 50))} / ${ms(percentile(acks, 99))} | `
    + `${Math.round(mean(stats.sentBytes))} / ${Math.round(mean(stats.receivedBytes))} | `
    + `${((cpuSeconds / elapsed) * 100).toFixed(1)} % of a core | ${(cpuPerUpdate * 1e6).toFixed(0)} µs `
    + `(${((userSeconds / stats.accepted) * 1e6).toFixed(0)} / ${(((cpuSeconds - userSeconds) / stats.accepted) * 1e6).toFixed(0)}) | `
    + `${(elu * 100).toFixed(0)} % | ${problems || 'none'} |`);
  return problems === '';
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error) => {
    console.error(`bench/whiteboard: ${error.stack ?? error}`);
    process.exit(1);
  },
);

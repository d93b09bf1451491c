// Signaling load generator (docs/protocol.md), driven by bench/signaling/run.sh against a fresh
// server it started. For one connection count N and each meeting size S:
//   1. opens N WebSockets to /ws (no message yet) -> server RSS per idle connection,
//   2. sends hello + join on each (a bounded number in flight) -> join latency,
//   3. in every meeting one member sends chat.send once a second for BENCH_CHAT_SECONDS; every
//      other member records when chat.message arrives -> fan-out latency per receiver,
//      server CPU over the phase from /proc/<pid>/stat,
//   4. leave + close everything.
// Sender and receivers live in this one process, so latencies use one clock (performance.now()),
// but they include this process's own event-loop delay: its utilisation is printed with them.
// Every wait has a timeout; the script exits non-zero if a phase fails.
//
// Usage: node bench.mjs <baseUrl> <serverPid> <connections> <meetingSizes comma-separated>
import { performance } from 'node:perf_hooks';
import {
  CLK_TCK, SignalConnection, WebSocket, cpuTicks as cpuTicksOf, firstErrors, log, percentile, pool, post, registerUsers,
  rssKiB as rssKiBOf, sleep, withTimeout,
} from '../lib/load.mjs';

const [baseUrl, pidArg, countArg, sizesArg] = process.argv.slice(2);
const SERVER_PID = Number(pidArg);
const N = Number(countArg);
const SIZES = (sizesArg ?? '10,50').split(',').map(Number);
const CHAT_SECONDS = Number(process.env.BENCH_CHAT_SECONDS ?? 10);
const OPEN_IN_FLIGHT = Number(process.env.BENCH_OPEN_IN_FLIGHT ?? 200);
const JOIN_IN_FLIGHT = Number(process.env.BENCH_JOIN_IN_FLIGHT ?? 50);
const PHASE_TIMEOUT_MS = 60_000;
const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/ws`;

const rssKiB = () => rssKiBOf(SERVER_PID);
const cpuTicks = () => cpuTicksOf(SERVER_PID);

// One signaling connection with chat.message arrivals timed.
class Client extends SignalConnection {
  constructor(index) {
    super(wsUrl, index);
    this.latencies = null; // array shared per phase, set by the chat phase
  }

  onNotification(message, now) {
    if (message.method === 'chat.message' && this.latencies) {
      const sentAt = Number(message.data.text.split(' ')[1]);
      this.latencies.push(now - sentAt);
      if (now - sentAt > 50) this.slow?.add(Math.floor((sentAt - this.chatStart) / 100) / 10);
    }
  }
}

async function setup() {
  const started = performance.now();
  const users = await registerUsers(baseUrl, N);
  log(`registered ${N} users in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return users;
}

async function createMeetings(users, size) {
  const count = Math.ceil(N / size);
  const codes = new Array(count);
  // The first member of each meeting creates it (and is its host).
  const errors = await pool(count, 8, async (m) => {
    codes[m] = (await post(baseUrl, '/api/v1/meetings', { kind: 'instant', title: `bench ${size}/${m}` }, users[m * size])).code;
  });
  if (errors.length) throw new Error(`meeting creation: ${errors.length} failed: ${firstErrors(errors)}`);
  return codes;
}

async function runSize(users, size) {
  const row = { size, n: N };
  const codes = await createMeetings(users, size);
  const clients = Array.from({ length: N }, (_, i) => new Client(i));
  try {
    await sleep(500);
    row.rssBefore = rssKiB();
    let started = performance.now();
    const openErrors = await withTimeout(pool(N, OPEN_IN_FLIGHT, (i) => clients[i].open()), PHASE_TIMEOUT_MS, 'open');
    row.openSeconds = (performance.now() - started) / 1000;
    row.held = clients.filter((c) => c.socket.readyState === WebSocket.OPEN).length;
    if (openErrors.length) row.openErrors = `${openErrors.length} failed: ${firstErrors(openErrors)}`;
    await sleep(1000);
    row.rssIdle = rssKiB();
    log(`size ${size}: ${row.held}/${N} sockets open in ${row.openSeconds.toFixed(1)} s; RSS ${row.rssBefore} -> ${row.rssIdle} KiB`);

    const joinLatencies = [];
    started = performance.now();
    const joinErrors = await withTimeout(pool(N, JOIN_IN_FLIGHT, async (i) => {
      const client = clients[i];
      if (client.socket.readyState !== WebSocket.OPEN) throw new Error('not open');
      const t0 = performance.now();
      await client.call('hello', { token: users[i] });
      const joined = await client.call('join', { code: codes[Math.floor(i / size)] });
      if (joined.state !== 'joined') throw new Error(`join: state ${joined.state}`);
      joinLatencies.push(performance.now() - t0);
      client.joined = true;
    }), PHASE_TIMEOUT_MS, 'join');
    row.joinSeconds = (performance.now() - started) / 1000;
    joinLatencies.sort((a, b) => a - b);
    row.joined = joinLatencies.length;
    row.joinP50 = percentile(joinLatencies, 50);
    row.joinP99 = percentile(joinLatencies, 99);
    if (joinErrors.length) row.joinErrors = `${joinErrors.length} failed: ${firstErrors(joinErrors)}`;
    await sleep(1000);
    row.rssJoined = rssKiB();
    log(`size ${size}: ${row.joined} joined in ${row.joinSeconds.toFixed(1)} s, p50 ${row.joinP50?.toFixed(1)} ms p99 ${row.joinP99?.toFixed(1)} ms`);

    await chatPhase(clients, size, codes.length, row);
  } finally {
    // leave first so the server does not keep the peers for the reconnect grace period
    await Promise.race([
      Promise.allSettled(clients.filter((c) => c.joined).map((c) => c.call('leave'))),
      sleep(10_000),
    ]);
    for (const client of clients) client.close();
    await sleep(1000);
  }
  return row;
}

async function chatPhase(clients, size, meetingCount, row) {
  const latencies = [];
  const slow = new Set(); // send times (s into the phase, 0.1 s buckets) of deliveries over 50 ms
  const chatStart = performance.now();
  for (const client of clients) Object.assign(client, { latencies, slow, chatStart });
  let sent = 0;
  let expected = 0;
  let sendErrors = 0;
  const sendLatencies = [];
  const cpuBefore = cpuTicks();
  const eluBefore = performance.eventLoopUtilization();
  const started = performance.now();
  const timers = [];
  // Meeting m sends at offset m/M of every second, so the load is spread evenly over time.
  for (let m = 0; m < meetingCount; m++) {
    const members = clients.slice(m * size, (m + 1) * size).filter((c) => c.joined);
    if (members.length < 2) continue;
    for (let round = 0; round < CHAT_SECONDS; round++) {
      const sender = members[round % members.length];
      timers.push(setTimeout(() => {
        const t = performance.now();
        sent++;
        expected += members.length - 1;
        sender.call('chat.send', { text: `t ${t} m${m} r${round}` })
          .then(() => sendLatencies.push(performance.now() - t), () => { sendErrors++; });
      }, round * 1000 + (m / meetingCount) * 1000));
    }
  }
  // Sending ends after CHAT_SECONDS; then wait (bounded) for the last deliveries.
  await sleep(CHAT_SECONDS * 1000);
  const deadline = performance.now() + 5000;
  while (latencies.length < expected && performance.now() < deadline) await sleep(100);
  const elapsed = (performance.now() - started) / 1000;
  for (const timer of timers) clearTimeout(timer);
  row.chatCpu = (cpuTicks() - cpuBefore) / CLK_TCK / elapsed; // cores busy on average
  row.clientElu = performance.eventLoopUtilization(eluBefore).utilization;
  for (const client of clients) client.latencies = null;
  latencies.sort((a, b) => a - b);
  sendLatencies.sort((a, b) => a - b);
  Object.assign(row, {
    sent, expected, received: latencies.length, sendErrors,
    chatP50: percentile(latencies, 50), chatP99: percentile(latencies, 99), chatMax: latencies.at(-1),
    sendP99: percentile(sendLatencies, 99), rate: latencies.length / elapsed,
  });
  log(`size ${size}: deliveries over 50 ms were sent at [${[...slow].sort((a, b) => a - b).join(', ')}] s into the phase`);
  log(`size ${size}: chat.send round trip (stored, then answered) p99 ${row.sendP99?.toFixed(1)} ms`);
  log(`size ${size}: chat ${sent} sent, ${latencies.length}/${expected} delivered, p50 ${row.chatP50?.toFixed(1)} ms p99 ${row.chatP99?.toFixed(1)} ms`);
}

const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');
const kib = (v) => `${Math.round(v).toLocaleString('en-US')}`;

function printRow(r, first) {
  // Only the first phase on a server starts from a clean heap; later ones reuse freed memory.
  const mark = first ? '' : ' (heap reused)';
  const perIdle = r.held > 0 ? (r.rssIdle - r.rssBefore) / r.held : NaN;
  const perJoined = r.joined > 0 ? (r.rssJoined - r.rssBefore) / r.joined : NaN;
  const problems = [r.openErrors && `open: ${r.openErrors}`, r.joinErrors && `join: ${r.joinErrors}`,
    r.sendErrors ? `${r.sendErrors} chat.send failed` : null,
    r.received < r.expected ? `${r.expected - r.received} deliveries missing` : null].filter(Boolean).join('; ');
  console.log(`| ${r.n.toLocaleString('en-US')} | ${r.size} | ${r.held.toLocaleString('en-US')} | ${r.joined.toLocaleString('en-US')} (${Math.round(r.joined / r.joinSeconds).toLocaleString('en-US')}/s) | `
    + `${ms(r.joinP50)} / ${ms(r.joinP99)} | ${ms(r.chatP50)} / ${ms(r.chatP99)} (max ${ms(r.chatMax)}) | `
    + `${r.received.toLocaleString('en-US')}/${r.expected.toLocaleString('en-US')} (${Math.round(r.rate).toLocaleString('en-US')}/s) | `
    + `${kib(r.rssBefore)} → ${kib(r.rssIdle)} → ${kib(r.rssJoined)} | ${perIdle.toFixed(1)} / ${perJoined.toFixed(1)}${mark} | `
    + `${(r.chatCpu * 100).toFixed(0)} % | ${(r.clientElu * 100).toFixed(0)} % | ${problems || 'none'} |`);
}

async function main() {
  const users = await setup();
  let failed = false;
  for (const [k, size] of SIZES.entries()) {
    try {
      printRow(await runSize(users, size), k === 0);
    } catch (error) {
      failed = true;
      console.log(`| ${N} | ${size} | FAILED: ${error.message} |`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(`bench/signaling: ${error.stack ?? error}`);
  process.exit(1);
});

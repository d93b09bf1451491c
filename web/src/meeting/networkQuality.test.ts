import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NetworkMonitor,
  assess,
  classify,
  downstreamLoss,
  readSample,
  type NetworkQuality,
  type StatsReportLike,
  type StatsSource,
} from './networkQuality';

/** An RTCStatsReport as a Map of stat id to stat, as browsers hand it out. */
function report(...stats: Record<string, unknown>[]): StatsReportLike {
  return new Map(stats.map((s) => [String(s.id), s]));
}

// A send transport as Chrome reports it: the selected pair named by the transport stat, one more
// pair that is not in use, our camera's outbound stream and the SFU's receiver report on it.
const sendReport = (rttS: number, fractionLost: number, limitation = 'none') =>
  report(
    { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP1' },
    { id: 'CP1', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: rttS },
    { id: 'CP2', type: 'candidate-pair', state: 'failed', nominated: false, currentRoundTripTime: 9 },
    { id: 'OT1', type: 'outbound-rtp', kind: 'video', qualityLimitationReason: limitation },
    { id: 'RI1', type: 'remote-inbound-rtp', kind: 'video', fractionLost, roundTripTime: 0.5, packetsLost: 3 },
  );

const recvReport = (lost: number, received: number) =>
  report(
    { id: 'T02', type: 'transport', selectedCandidatePairId: 'CP9' },
    { id: 'CP9', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.04 },
    { id: 'IT1', type: 'inbound-rtp', kind: 'video', packetsLost: lost, packetsReceived: received },
  );

describe('classify', () => {
  it.each([
    [40, 0, 'good'],
    [149, 1.9, 'good'],
    [150, 0, 'fair'],
    [40, 2, 'fair'],
    [399, 7.9, 'fair'],
    [400, 0, 'poor'],
    [40, 8, 'poor'],
    [1000, 30, 'poor'],
  ] as const)('rtt %d ms, loss %d %% is %s', (rtt, loss, level) => {
    expect(classify(rtt, loss)).toBe(level);
  });

  it('judges on what it has, and is unknown with nothing', () => {
    expect(classify(null, null)).toBe('unknown');
    expect(classify(null, 1)).toBe('good');
    expect(classify(500, null)).toBe('poor');
  });

  it('says fair at best while the browser holds our video back for bandwidth', () => {
    expect(classify(30, 0, 'bandwidth')).toBe('fair');
    expect(classify(30, 0, 'cpu')).toBe('good');
    expect(classify(500, 0, 'bandwidth')).toBe('poor');
  });
});

describe('readSample', () => {
  it('takes the selected pair, the worst upstream loss and the inbound counters', () => {
    const sample = readSample([sendReport(0.12, 0.01, 'bandwidth'), recvReport(5, 995)]);
    expect(sample.rttMs).toBeCloseTo(120); // the worse of the two transports' pairs, not the failed pair
    expect(sample.upstreamFractionLost).toBe(0.01);
    expect(sample.inbound.get('IT1')).toEqual({ lost: 5, received: 995 });
    expect(sample.limitation).toBe('bandwidth');
  });

  it('finds the pair Firefox marks selected, and falls back to the RTCP round trip', () => {
    const firefox = report({ id: 'p', type: 'candidate-pair', selected: true, currentRoundTripTime: 0.07 });
    expect(readSample([firefox]).rttMs).toBeCloseTo(70);
    const noPair = report({ id: 'r', type: 'remote-inbound-rtp', roundTripTime: 0.2, fractionLost: 0 });
    expect(readSample([noPair]).rttMs).toBeCloseTo(200);
  });

  it('gives nothing for empty or failed reports', () => {
    const sample = readSample([null, report()]);
    expect(sample).toMatchObject({ rttMs: null, upstreamFractionLost: null, limitation: null });
    expect(assess(null, sample)).toEqual({ level: 'unknown', rttMs: null, lossPct: null, limitation: null });
  });
});

describe('downstreamLoss and assess', () => {
  it('measures loss between two reads, not since the start', () => {
    const first = readSample([recvReport(100, 900)]); // 10 % lost long ago
    const second = readSample([recvReport(101, 1099)]); // then 1 of 200
    expect(downstreamLoss(first, second)).toBeCloseTo(0.005);
    expect(assess(first, second)).toMatchObject({ level: 'good', rttMs: 40, lossPct: 0.5 });
  });

  it('ignores intervals with too few packets, and counts a restarted stream from zero', () => {
    const a = readSample([recvReport(0, 1000)]);
    expect(downstreamLoss(a, readSample([recvReport(1, 1005)]))).toBeNull();
    expect(downstreamLoss(a, readSample([recvReport(10, 90)]))).toBeCloseTo(0.1);
  });

  it('takes the worse of upstream and downstream loss', () => {
    const before = readSample([sendReport(0.05, 0), recvReport(0, 0)]);
    const after = readSample([sendReport(0.05, 0.05), recvReport(0, 500)]);
    expect(assess(before, after)).toMatchObject({ level: 'fair', rttMs: 50, lossPct: 5 });
    const lossy = readSample([sendReport(0.05, 0), recvReport(100, 900)]);
    expect(assess(before, lossy)).toMatchObject({ level: 'poor', lossPct: 10 });
  });
});

describe('NetworkMonitor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const source = (reports: StatsReportLike[]): StatsSource & { calls: number } => {
    const s = {
      calls: 0,
      getStats: async () => reports[Math.min(s.calls++, reports.length - 1)],
    };
    return s;
  };

  it('polls every two seconds, reports changes only, and stops', async () => {
    const send = source([sendReport(0.05, 0), sendReport(0.05, 0), sendReport(0.3, 0)]);
    const seen: NetworkQuality[] = [];
    const monitor = new NetworkMonitor(
      () => [send],
      (q) => seen.push(q),
    );
    monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen.map((q) => q.level)).toEqual(['good']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(seen).toHaveLength(1); // same numbers, no report
    await vi.advanceTimersByTimeAsync(2000);
    expect(seen.map((q) => q.level)).toEqual(['good', 'fair']);
    expect(monitor.quality.rttMs).toBe(300);
    monitor.stop();
    expect(monitor.running).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(send.calls).toBe(3);
  });

  it('is unknown without transports and when a read fails', async () => {
    let sources: StatsSource[] = [source([sendReport(0.5, 0.2)])];
    const seen: string[] = [];
    const monitor = new NetworkMonitor(
      () => sources,
      (q) => seen.push(q.level),
    );
    await monitor.poll();
    sources = [];
    await monitor.poll();
    sources = [{ getStats: () => Promise.reject(new Error('closed')) }];
    await monitor.poll();
    expect(seen).toEqual(['poor', 'unknown']);
  });

  it('drops a read that finishes after stop()', async () => {
    let answer: (r: StatsReportLike) => void = () => undefined;
    const slow: StatsSource = { getStats: () => new Promise((resolve) => (answer = resolve)) };
    const seen: NetworkQuality[] = [];
    const monitor = new NetworkMonitor(
      () => [slow],
      (q) => seen.push(q),
    );
    monitor.start();
    monitor.stop();
    answer(sendReport(0.05, 0));
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([]);
  });
});

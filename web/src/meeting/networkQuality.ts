// How good this person's connection to the SFU is, read from the WebRTC statistics of the send and
// receive transports (https://www.w3.org/TR/webrtc-stats/) every two seconds and folded into one
// level for the three-bar indicator. Plain TypeScript: the rules are pure functions over stat
// fixtures, the poller takes its transports as a function, so both are tested without a browser.

export type NetworkLevel = 'good' | 'fair' | 'poor' | 'unknown';

export interface NetworkQuality {
  level: NetworkLevel;
  /** Round-trip time to the SFU in milliseconds, or null when no stat gave one. */
  rttMs: number | null;
  /** Packet loss in percent, the worse of what we send and what we receive; null when unknown. */
  lossPct: number | null;
  /** Why the browser lowers what we send ('bandwidth', 'cpu', 'other'), or null when it does not. */
  limitation: string | null;
}

export const UNKNOWN_QUALITY: NetworkQuality = { level: 'unknown', rttMs: null, lossPct: null, limitation: null };

/** The upper bounds of each level; anything at or past `fair` is poor. */
export const THRESHOLDS = {
  good: { rttMs: 150, lossPct: 2 },
  fair: { rttMs: 400, lossPct: 8 },
} as const;

/** Fewer packets than this in one interval say nothing reliable about loss (one lost = 10 %). */
const MIN_PACKETS_FOR_LOSS = 20;

/** What one read of all the transports' stats gives, before comparing it with the read before. */
export interface StatsSample {
  rttMs: number | null;
  /** Worst `fractionLost` (0..1) the SFU reported for a stream we send (remote-inbound-rtp). */
  upstreamFractionLost: number | null;
  /** Cumulative packetsLost / packetsReceived per inbound stream, by stat id, for deltas. */
  inbound: Map<string, { lost: number; received: number }>;
  limitation: string | null;
}

/** The part of RTCStatsReport used here (a Map of stat id to stat works in tests). */
export interface StatsReportLike {
  forEach(callback: (stat: Record<string, unknown>) => void): void;
}

export interface StatsSource {
  getStats(): Promise<StatsReportLike>;
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const worst = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

// Bandwidth says the most about the network; cpu and other are reported only when nothing else is.
const LIMITATION_RANK: Record<string, number> = { bandwidth: 3, cpu: 2, other: 1 };

/** The candidate pair in use: the one the transport stat names, else a selected or nominated one. */
function selectedPair(stats: Record<string, unknown>[]): Record<string, unknown> | null {
  const pairs = stats.filter((s) => s.type === 'candidate-pair');
  const named = stats.find((s) => s.type === 'transport' && typeof s.selectedCandidatePairId === 'string');
  if (named) {
    const pair = pairs.find((p) => p.id === named.selectedCandidatePairId);
    if (pair) return pair;
  }
  // Firefox marks the pair `selected`; older Chrome only `nominated` with state succeeded.
  return pairs.find((p) => p.selected === true) ?? pairs.find((p) => p.nominated === true && p.state === 'succeeded') ?? null;
}

/** Reads the stats of every transport (null for one whose getStats failed) into one sample. */
export function readSample(reports: (StatsReportLike | null)[]): StatsSample {
  const sample: StatsSample = { rttMs: null, upstreamFractionLost: null, inbound: new Map(), limitation: null };
  let remoteRtt: number | null = null;
  for (const report of reports) {
    if (!report) continue;
    const stats: Record<string, unknown>[] = [];
    report.forEach((stat) => stats.push(stat));
    const pairRtt = num(selectedPair(stats)?.currentRoundTripTime);
    if (pairRtt !== null) sample.rttMs = worst(sample.rttMs, pairRtt * 1000);
    for (const stat of stats) {
      if (stat.type === 'remote-inbound-rtp') {
        sample.upstreamFractionLost = worst(sample.upstreamFractionLost, num(stat.fractionLost));
        const rtt = num(stat.roundTripTime);
        if (rtt !== null) remoteRtt = worst(remoteRtt, rtt * 1000);
      } else if (stat.type === 'inbound-rtp') {
        const lost = num(stat.packetsLost);
        const received = num(stat.packetsReceived);
        if (lost !== null && received !== null) sample.inbound.set(String(stat.id), { lost: Math.max(0, lost), received });
      } else if (stat.type === 'outbound-rtp' && typeof stat.qualityLimitationReason === 'string') {
        const reason = stat.qualityLimitationReason;
        const rank = LIMITATION_RANK[reason] ?? 0;
        if (rank > (sample.limitation ? (LIMITATION_RANK[sample.limitation] ?? 0) : 0)) sample.limitation = reason;
      }
    }
  }
  // The RTCP round trip (RFC 3550 section 6.4.1) stands in when no candidate pair reported one.
  if (sample.rttMs === null) sample.rttMs = remoteRtt;
  return sample;
}

/** Loss (0..1) of what we received between two samples; null when too few packets came. */
export function downstreamLoss(previous: StatsSample | null, current: StatsSample): number | null {
  let lost = 0;
  let received = 0;
  for (const [id, now] of current.inbound) {
    const before = previous?.inbound.get(id) ?? { lost: 0, received: 0 };
    // A stream that restarted (counters went down) counts from zero.
    const restarted = now.received < before.received || now.lost < before.lost;
    lost += restarted ? now.lost : now.lost - before.lost;
    received += restarted ? now.received : now.received - before.received;
  }
  const total = lost + received;
  return total >= MIN_PACKETS_FOR_LOSS ? lost / total : null;
}

/** The level for a round trip and a loss; a missing value does not count against the other. */
export function classify(rttMs: number | null, lossPct: number | null, limitation: string | null = null): NetworkLevel {
  if (rttMs === null && lossPct === null) return 'unknown';
  const within = (bound: { rttMs: number; lossPct: number }) =>
    (rttMs === null || rttMs < bound.rttMs) && (lossPct === null || lossPct < bound.lossPct);
  if (within(THRESHOLDS.good)) return limitation === 'bandwidth' ? 'fair' : 'good';
  if (within(THRESHOLDS.fair)) return 'fair';
  return 'poor';
}

/** One assessment from the sample before (null on the first read) and the current one. */
export function assess(previous: StatsSample | null, current: StatsSample): NetworkQuality {
  const loss = worst(current.upstreamFractionLost, downstreamLoss(previous, current));
  const lossPct = loss === null ? null : Math.round(loss * 1000) / 10;
  const rttMs = current.rttMs === null ? null : Math.round(current.rttMs);
  return { level: classify(rttMs, lossPct, current.limitation), rttMs, lossPct, limitation: current.limitation };
}

export function sameQuality(a: NetworkQuality, b: NetworkQuality): boolean {
  return a.level === b.level && a.rttMs === b.rttMs && a.lossPct === b.lossPct && a.limitation === b.limitation;
}

export const NETWORK_POLL_MS = 2000;

/**
 * Polls the transports' stats every `intervalMs` and reports each changed assessment. While there
 * are no transports (media not up yet, or closed after the meeting) the quality is unknown.
 */
export class NetworkMonitor {
  private timer: ReturnType<typeof setInterval> | null = null;
  private previous: StatsSample | null = null;
  private polling = false;
  /** Bumped by stop(), so that a read still waiting for getStats() is dropped. */
  private generation = 0;
  private current: NetworkQuality = UNKNOWN_QUALITY;

  constructor(
    private readonly sources: () => StatsSource[],
    private readonly onQuality: (quality: NetworkQuality) => void,
    private readonly intervalMs = NETWORK_POLL_MS,
  ) {}

  get quality(): NetworkQuality {
    return this.current;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    void this.poll();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.previous = null;
    this.generation++;
  }

  /** One read; skipped while the previous one is still waiting for getStats(). */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const generation = this.generation;
    try {
      const sources = this.sources();
      let next = UNKNOWN_QUALITY;
      if (sources.length > 0) {
        const reports = await Promise.all(sources.map((source) => source.getStats().catch(() => null)));
        if (generation !== this.generation) return; // stopped while waiting
        const sample = readSample(reports);
        next = assess(this.previous, sample);
        this.previous = sample;
      } else {
        this.previous = null;
      }
      if (!sameQuality(next, this.current)) {
        this.current = next;
        this.onQuality(next);
      }
    } finally {
      this.polling = false;
    }
  }
}

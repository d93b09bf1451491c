/**
 * A throttle that sends at once when it may, at most one value per interval, and always the last
 * value pushed (a cursor that stops moving must end where it stopped, not at the last value that
 * happened to fit the rate).
 */
import type { Scheduler } from './scheduler';

export class Throttle<T> {
  private last = Number.NEGATIVE_INFINITY;
  private waiting: { value: T } | null = null;
  private cancelTimer: (() => void) | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
    private readonly scheduler: Scheduler,
  ) {}

  push(value: T): void {
    const now = this.scheduler.now();
    if (!this.cancelTimer && now - this.last >= this.intervalMs) {
      this.last = now;
      this.send(value);
      return;
    }
    this.waiting = { value };
    if (!this.cancelTimer) {
      this.cancelTimer = this.scheduler.schedule(() => this.fire(), Math.max(0, this.intervalMs - (now - this.last)));
    }
  }

  private fire(): void {
    this.cancelTimer = null;
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    this.last = this.scheduler.now();
    this.send(waiting.value);
  }

  cancel(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.waiting = null;
  }
}

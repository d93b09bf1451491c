import { describe, expect, it } from 'vitest';
import { ManualScheduler } from '../../test/fakeBoard';
import { Throttle } from './throttle';

describe('Throttle', () => {
  it('sends at most one value per interval and always the last one', () => {
    const scheduler = new ManualScheduler();
    const sent: number[] = [];
    const throttle = new Throttle<number>(50, (v) => sent.push(v), scheduler);
    throttle.push(1); // at once
    for (let i = 2; i <= 10; i++) {
      scheduler.advance(5);
      throttle.push(i);
    }
    expect(sent).toEqual([1]);
    scheduler.advance(50);
    expect(sent).toEqual([1, 10]);
    scheduler.advance(200);
    throttle.push(11); // quiet for long enough: at once again
    expect(sent).toEqual([1, 10, 11]);
  });

  it('holds 20 per second over a steady stream of moves', () => {
    const scheduler = new ManualScheduler();
    const times: number[] = [];
    const throttle = new Throttle<number>(50, () => times.push(scheduler.now()), scheduler);
    for (let t = 0; t < 1000; t += 4) {
      throttle.push(t);
      scheduler.advance(4);
    }
    scheduler.advance(100);
    expect(times.length).toBeLessThanOrEqual(21);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(50);
  });

  it('sends nothing after cancel', () => {
    const scheduler = new ManualScheduler();
    const sent: number[] = [];
    const throttle = new Throttle<number>(50, (v) => sent.push(v), scheduler);
    throttle.push(1);
    throttle.push(2);
    throttle.cancel();
    scheduler.advance(100);
    expect(sent).toEqual([1]);
  });
});

import { act, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PHONE_PORTRAIT_QUERY } from './phoneLayout';
import { lastVisibility, roomOf } from '../../../test/stageFixtures';
import { Stage } from './Stage';
import { layoutPhone, videoDemands, type StageTile } from './stageLayout';

const self: StageTile = { key: 'self', peerId: 'me', isSelf: true, isScreen: false, consumerId: null };
const person = (n: number): StageTile => ({ key: `p${n}`, peerId: `p${n}`, isSelf: false, isScreen: false, consumerId: `c${n}` });
const people = (count: number) => [self, ...Array.from({ length: count }, (_, i) => person(i + 1))];

describe('layoutPhone', () => {
  it('puts the speaker large and everyone else in one strip, with no pages', () => {
    const layout = layoutPhone({ tiles: people(12), pinned: null, activeSpeaker: 'p7', previousStage: null });
    expect(layout.stage).toEqual(['p7']);
    expect(layout.tiles).toEqual(['self', ...[1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12].map((n) => `p${n}`)]);
    expect(layout.pageCount).toBe(1);
  });

  it('prefers the pinned tile, and shows a lone person as one tile', () => {
    expect(layoutPhone({ tiles: people(3), pinned: 'p2', activeSpeaker: 'p1', previousStage: null }).stage).toEqual(['p2']);
    expect(layoutPhone({ tiles: people(0), pinned: null, activeSpeaker: null, previousStage: null })).toMatchObject({
      stage: [],
      tiles: ['self'],
    });
  });

  it('stops the video of strip tiles scrolled out of view, never the large one', () => {
    const tiles = people(4);
    const layout = layoutPhone({ tiles, pinned: null, activeSpeaker: 'p1', previousStage: null });
    const demands = videoDemands(tiles, layout, new Set(['p3', 'p4', 'p1']));
    expect(Object.fromEntries(demands)).toEqual({
      c1: { visible: true, large: true },
      c2: { visible: true, large: false },
      c3: { visible: false, large: false },
      c4: { visible: false, large: false },
    });
  });
});

// --- the Stage on a phone: a fake matchMedia and IntersectionObserver (jsdom has neither) -------

class FakeIntersectionObserver {
  static instances: FakeIntersectionObserver[] = [];
  readonly targets: Element[] = [];
  constructor(readonly callback: IntersectionObserverCallback) {
    FakeIntersectionObserver.instances.push(this);
  }
  observe(target: Element) {
    this.targets.push(target);
  }
  disconnect() {}
  /** Reports which tiles (by data-tile-key) a swipe left in view. */
  report(visibleKeys: string[]) {
    const entries = this.targets.map((target) => {
      const visible = visibleKeys.includes((target as HTMLElement).dataset.tileKey ?? '');
      return { target, isIntersecting: visible, intersectionRatio: visible ? 1 : 0 } as unknown as IntersectionObserverEntry;
    });
    this.callback(entries, this as unknown as IntersectionObserver);
  }
}

let portrait = true;
beforeEach(() => {
  portrait = true;
  FakeIntersectionObserver.instances = [];
  vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: query === PHONE_PORTRAIT_QUERY && portrait,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }));
});
afterEach(() => vi.unstubAllGlobals());

describe('Stage on a phone held upright', () => {
  it('shows the speaker large above a swipe strip of all the others, in grid mode too', () => {
    const client = { setVideoVisibility: vi.fn(async () => undefined) };
    render(<Stage state={roomOf(8, { activeSpeaker: 'p3' })} client={client} mode="grid" reactions={[]} sideWidth={0} />);
    expect(screen.getByTestId('stage')).toHaveAttribute('data-layout', 'phone');
    const strip = screen.getByTestId('swipe-strip');
    expect(within(strip).getAllByTestId('video-tile')).toHaveLength(8);
    expect(screen.queryByTestId('page-label')).toBeNull();
    expect(document.querySelector('.screen-stage [data-tile-key="p3"]')).not.toBeNull();
    expect(lastVisibility(client.setVideoVisibility)).toMatchObject({ c3: 'large', c1: 'small', c8: 'small' });
  });

  it('pauses the video of tiles swiped out of view and resumes it when they come back', () => {
    const client = { setVideoVisibility: vi.fn(async () => undefined) };
    render(<Stage state={roomOf(6, { activeSpeaker: 'p1' })} client={client} mode="speaker" reactions={[]} sideWidth={0} />);
    const observer = FakeIntersectionObserver.instances.at(-1)!;
    expect(observer.targets).toHaveLength(6);
    act(() => observer.report(['self', 'p2']));
    expect(lastVisibility(client.setVideoVisibility)).toMatchObject({ c1: 'large', c2: 'small', c3: 'hidden', c6: 'hidden' });
    act(() => observer.report(['p5', 'p6']));
    expect(lastVisibility(client.setVideoVisibility)).toMatchObject({ c1: 'large', c2: 'hidden', c5: 'small', c6: 'small' });
  });

  it('keeps the normal layout on a phone turned sideways', () => {
    portrait = false;
    const client = { setVideoVisibility: vi.fn(async () => undefined) };
    render(<Stage state={roomOf(3)} client={client} mode="grid" reactions={[]} sideWidth={0} />);
    expect(screen.getByTestId('stage')).toHaveAttribute('data-layout', 'grid');
    expect(screen.queryByTestId('swipe-strip')).toBeNull();
  });
});

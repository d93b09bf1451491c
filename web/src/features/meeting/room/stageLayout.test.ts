import { describe, expect, it } from 'vitest';
import { capacityFor, gridShape, layoutStage, videoDemands, type LayoutInput, type StageTile } from './stageLayout';

const self: StageTile = { key: 'self', peerId: 'me', isSelf: true, isScreen: false, consumerId: null };
const person = (n: number): StageTile => ({ key: `p${n}`, peerId: `p${n}`, isSelf: false, isScreen: false, consumerId: `c${n}` });
const screenOf = (n: number): StageTile => ({ key: `p${n}-screen`, peerId: `p${n}`, isSelf: false, isScreen: true, consumerId: `s${n}` });
const people = (count: number) => [self, ...Array.from({ length: count }, (_, i) => person(i + 1))];

const input = (change: Partial<LayoutInput>): LayoutInput => ({
  tiles: people(3),
  mode: 'grid',
  pinned: null,
  activeSpeaker: null,
  previousStage: null,
  page: 0,
  capacity: { grid: 9, columns: 3, strip: 4 },
  ...change,
});

describe('capacityFor', () => {
  it('fits 2x3 on a phone, 3x3 on a desktop, 4x4 on a large screen', () => {
    expect(capacityFor(390, 844)).toMatchObject({ grid: 6, columns: 2 });
    expect(capacityFor(1280, 800)).toMatchObject({ grid: 9, columns: 3, strip: 6 });
    expect(capacityFor(1920, 1080)).toMatchObject({ grid: 16, columns: 4, strip: 8 });
    expect(capacityFor(600, 800).strip).toBe(2);
  });
});

describe('gridShape', () => {
  it('is as square as the columns allow', () => {
    expect(gridShape(1, 3)).toEqual({ columns: 1, rows: 1 });
    expect(gridShape(2, 3)).toEqual({ columns: 2, rows: 1 });
    expect(gridShape(5, 3)).toEqual({ columns: 3, rows: 2 });
    expect(gridShape(9, 3)).toEqual({ columns: 3, rows: 3 });
    expect(gridShape(6, 2)).toEqual({ columns: 2, rows: 3 });
    expect(gridShape(0, 3)).toEqual({ columns: 1, rows: 1 });
  });
});

describe('layoutStage in grid mode', () => {
  it('puts everyone on one page when they fit', () => {
    expect(layoutStage(input({}))).toEqual({ stage: [], tiles: ['self', 'p1', 'p2', 'p3'], page: 0, pageCount: 1 });
  });

  it('pages the rest, and clamps the page to the pages there are', () => {
    const tiles = people(20); // 21 tiles: 9 + 9 + 3
    expect(layoutStage(input({ tiles, page: 1 }))).toMatchObject({ tiles: tiles.slice(9, 18).map((t) => t.key), page: 1, pageCount: 3 });
    expect(layoutStage(input({ tiles, page: 7 }))).toMatchObject({ tiles: ['p18', 'p19', 'p20'], page: 2 });
    expect(layoutStage(input({ tiles, page: -1 })).page).toBe(0);
  });

  it('puts shared screens on the stage, people in a paged strip under them', () => {
    const tiles = [...people(5), screenOf(2)];
    const layout = layoutStage(input({ tiles, page: 1 }));
    expect(layout).toEqual({ stage: ['p2-screen'], tiles: ['p4', 'p5'], page: 1, pageCount: 2 });
  });

  it('puts a pinned tile on the stage', () => {
    const layout = layoutStage(input({ pinned: 'p2' }));
    expect(layout.stage).toEqual(['p2']);
    expect(layout.tiles).toEqual(['self', 'p1', 'p3']);
  });

  it('forgets a pin whose tile is gone', () => {
    expect(layoutStage(input({ pinned: 'gone' })).stage).toEqual([]);
  });
});

describe('layoutStage in speaker mode', () => {
  it('shows the active speaker large', () => {
    expect(layoutStage(input({ mode: 'speaker', activeSpeaker: 'p2' }))).toMatchObject({ stage: ['p2'], tiles: ['self', 'p1', 'p3'] });
  });

  it('prefers the pin, then a remote screen, over the speaker', () => {
    const tiles = [...people(3), screenOf(3)];
    expect(layoutStage(input({ tiles, mode: 'speaker', activeSpeaker: 'p2', pinned: 'p1' })).stage).toEqual(['p1']);
    expect(layoutStage(input({ tiles, mode: 'speaker', activeSpeaker: 'p2' })).stage).toEqual(['p3-screen']);
  });

  it('never puts us, or our own screen, on the stage by itself', () => {
    const ownScreen: StageTile = { key: 'self-screen', peerId: 'me', isSelf: true, isScreen: true, consumerId: null };
    const tiles = [...people(2), ownScreen];
    expect(layoutStage(input({ tiles, mode: 'speaker', activeSpeaker: 'me' })).stage).toEqual(['p1']);
    expect(layoutStage(input({ tiles, mode: 'speaker', pinned: 'self' })).stage).toEqual(['self']);
  });

  it('keeps the last speaker while nobody speaks', () => {
    expect(layoutStage(input({ mode: 'speaker', previousStage: 'p3' })).stage).toEqual(['p3']);
    expect(layoutStage(input({ mode: 'speaker', previousStage: 'gone' })).stage).toEqual(['p1']);
  });

  it('is just our tile when we are alone', () => {
    expect(layoutStage(input({ mode: 'speaker', tiles: [self] }))).toEqual({ stage: [], tiles: ['self'], page: 0, pageCount: 1 });
  });

  it('pages the strip', () => {
    const layout = layoutStage(input({ mode: 'speaker', tiles: people(9), activeSpeaker: 'p9', page: 1 }));
    expect(layout).toEqual({ stage: ['p9'], tiles: ['p4', 'p5', 'p6', 'p7'], page: 1, pageCount: 3 });
  });
});

describe('videoDemands', () => {
  it('hides what is off the page, asks for the large layer on the stage', () => {
    const tiles = people(20);
    const layout = layoutStage(input({ tiles, mode: 'speaker', activeSpeaker: 'p20' }));
    const demands = videoDemands(tiles, layout);
    expect(demands.get('c20')).toEqual({ visible: true, large: true });
    expect(demands.get('c1')).toEqual({ visible: true, large: false });
    expect(demands.get('c4')).toEqual({ visible: false, large: false });
    expect([...demands.values()].filter((d) => d.visible)).toHaveLength(4);
    expect(demands.has('self')).toBe(false);
  });

  it('asks for the large layer when one or two tiles fill the grid', () => {
    const two = people(1);
    expect(videoDemands(two, layoutStage(input({ tiles: two }))).get('c1')).toEqual({ visible: true, large: true });
    const four = people(3);
    expect(videoDemands(four, layoutStage(input({ tiles: four }))).get('c1')).toEqual({ visible: true, large: false });
  });

  it('skips tiles without a remote video', () => {
    const tiles = [self, { ...person(1), consumerId: null }];
    expect(videoDemands(tiles, layoutStage(input({ tiles }))).size).toBe(0);
  });
});

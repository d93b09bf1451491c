import { describe, expect, it } from 'vitest';
import { layoutStrip, videoDemands, type StageTile } from './stageLayout';

const tile = (key: string, isScreen = false): StageTile => ({
  key,
  peerId: key.replace('-screen', ''),
  isSelf: key === 'self',
  isScreen,
  consumerId: key === 'self' ? null : `c-${key}`,
});

describe('layoutStrip (videos under the whiteboard)', () => {
  it('puts nothing on a large stage, not even a shared screen, and pages the strip', () => {
    const tiles = [tile('self'), tile('a-screen', true), tile('a'), tile('b'), tile('c')];
    expect(layoutStrip(tiles, 0, 3)).toEqual({ stage: [], tiles: ['self', 'a-screen', 'a'], page: 0, pageCount: 2 });
    expect(layoutStrip(tiles, 5, 3)).toEqual({ stage: [], tiles: ['b', 'c'], page: 1, pageCount: 2 });
  });

  it('asks the SFU only for the tiles in the strip', () => {
    const tiles = [tile('self'), tile('a'), tile('b')];
    const demands = videoDemands(tiles, layoutStrip(tiles, 0, 2));
    expect(demands.get('c-a')?.visible).toBe(true);
    expect(demands.get('c-b')?.visible).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { element } from '../../test/fakeBoard';
import { jsonBytes, MAX_MESSAGE_BYTES, splitUpdate } from './splitUpdate';

describe('splitUpdate', () => {
  it('keeps every message under 60 KiB and every element once, in order', () => {
    const elements = Array.from({ length: 400 }, (_, i) => element(`e${i}`, 1, { text: 'ü'.repeat(200 + (i % 7) * 50) }));
    const { batches, tooLarge } = splitUpdate(elements);
    expect(tooLarge).toEqual([]);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      expect(jsonBytes({ id: 999999, method: 'board.update', data: { elements: batch } })).toBeLessThan(MAX_MESSAGE_BYTES);
    }
    expect(batches.flat().map((e) => e.id)).toEqual(elements.map((e) => e.id));
  });

  it('sets apart an element that alone is too large', () => {
    const huge = element('huge', 1, { points: Array.from({ length: 20000 }, (_, i) => [i, i]) });
    const { batches, tooLarge } = splitUpdate([element('a'), huge, element('b')]);
    expect(tooLarge.map((e) => e.id)).toEqual(['huge']);
    expect(batches).toEqual([[element('a'), element('b')]]);
  });
});

import { describe, expect, it } from 'vitest';
import { sceneTypes } from './sceneTools';

describe('sceneTypes', () => {
  it('lists the live elements by type, sorted, without the deleted ones', () => {
    const scene = [
      { type: 'text', isDeleted: false },
      { type: 'rectangle', isDeleted: false },
      { type: 'ellipse', isDeleted: true },
      { type: 'rectangle', isDeleted: false },
    ];
    expect(sceneTypes(scene)).toBe('rectangle rectangle text');
  });

  it('is empty for an empty board', () => {
    expect(sceneTypes([])).toBe('');
  });
});

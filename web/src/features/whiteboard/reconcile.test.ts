import { describe, expect, it } from 'vitest';
import { element } from '../../test/fakeBoard';
import { beats, canonicalJson, clearlyAhead, compareElements, mergeIntoScene, sameEdit, sortByIndex } from './reconcile';

describe('compareElements (the server rule)', () => {
  it('lets the higher version win', () => {
    expect(compareElements(element('a', 3), element('a', 2))).toBeGreaterThan(0);
    expect(compareElements(element('a', 2), element('a', 3))).toBeLessThan(0);
  });

  it('lets a deletion beat a live element of the same version, whatever the nonces', () => {
    const live = element('a', 4, { versionNonce: 1 });
    const deleted = element('a', 4, { versionNonce: 999, isDeleted: true });
    expect(beats(deleted, live)).toBe(true);
    expect(beats(live, deleted)).toBe(false);
  });

  it('then lets the lower versionNonce win', () => {
    expect(beats(element('a', 4, { versionNonce: 5 }), element('a', 4, { versionNonce: 9 }))).toBe(true);
    expect(beats(element('a', 4, { versionNonce: 9 }), element('a', 4, { versionNonce: 5 }))).toBe(false);
  });

  it('then, on a collision of version and nonce, the JSON text that sorts first (keys sorted, as the server dumps it)', () => {
    const first = element('a', 4, { versionNonce: 5, text: 'apple' });
    const second = element('a', 4, { versionNonce: 5, text: 'banana' });
    expect(beats(first, second)).toBe(true);
    expect(beats(second, first)).toBe(false);
    // Key order does not matter: the same element written in another order is the same edit.
    const reordered = Object.fromEntries(Object.entries(first).reverse()) as typeof first;
    expect(compareElements(first, reordered)).toBe(0);
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(sameEdit(first, { ...first })).toBe(true);
  });

  it('says when one element is ahead without the collision rule', () => {
    expect(clearlyAhead(element('a', 5), element('a', 4))).toBe(true);
    expect(clearlyAhead(element('a', 4, { versionNonce: 1 }), element('a', 4, { versionNonce: 2 }))).toBe(true);
    expect(clearlyAhead(element('a', 4, { versionNonce: 1, text: 'x' }), element('a', 4, { versionNonce: 1 }))).toBe(false);
  });

  it('treats a missing element as losing', () => {
    expect(beats(element('a'), undefined)).toBe(true);
  });
});

describe('mergeIntoScene', () => {
  it('replaces losers, keeps newer local edits, adds new ids and orders by fractional index', () => {
    const scene = [element('a', 5, { index: 'a1' }), element('b', 1, { index: 'a2' })];
    const merged = mergeIntoScene(scene, [
      element('a', 4, { index: 'a1' }),
      element('b', 2, { index: 'a2' }),
      element('c', 1, { index: 'a0' }),
    ]);
    expect(merged.map((e) => `${e.id}@${e.version}`)).toEqual(['c@1', 'a@5', 'b@2']);
  });

  it('returns the same array when nothing wins', () => {
    const scene = [element('a', 5)];
    expect(mergeIntoScene(scene, [element('a', 5)])).toBe(scene);
    expect(mergeIntoScene(scene, [])).toBe(scene);
  });

  it('keeps the order when some element has no index', () => {
    const list = [element('b', 1, { index: 'a2' }), element('a', 1)];
    expect(sortByIndex(list).map((e) => e.id)).toEqual(['b', 'a']);
  });
});

/**
 * The server's reconciliation rule, repeated here so that every peer picks the same winner for
 * an element whatever order the edits arrive in (docs/protocol.md "Whiteboard"): for one id the
 * higher `version` wins; at equal version a deleted element beats a live one (deletions stick);
 * then the LOWER `versionNonce`; then, for the same version and nonce (a collision), the JSON
 * text that sorts first, as the server compares it (server/whiteboard/src/element.cpp
 * supersedes(): compact, keys sorted). Where our text could differ from the server's (number
 * formatting), its `superseded` answer has the last word (BoardSync applies it as given).
 */
import type { BoardElement } from './boardTypes';

/** > 0 when `a` beats `b`, < 0 when `b` beats `a`, 0 when neither does (the same element). */
export function compareElements(a: BoardElement, b: BoardElement): number {
  if (a.version !== b.version) return a.version > b.version ? 1 : -1;
  const aDeleted = a.isDeleted === true;
  const bDeleted = b.isDeleted === true;
  if (aDeleted !== bDeleted) return aDeleted ? 1 : -1;
  if (a.versionNonce !== b.versionNonce) return a.versionNonce < b.versionNonce ? 1 : -1;
  if (a === b) return 0;
  const aText = canonicalJson(a);
  const bText = canonicalJson(b);
  if (aText === bText) return 0;
  return aText < bText ? 1 : -1;
}

/**
 * True when `a` is ahead of `b` by the well-defined part of the rule (version, deletion, nonce),
 * i.e. not a collision of the same version and nonce.
 */
export function clearlyAhead(a: BoardElement, b: BoardElement): boolean {
  if (a.version !== b.version) return a.version > b.version;
  if ((a.isDeleted === true) !== (b.isDeleted === true)) return a.isDeleted === true;
  return a.versionNonce < b.versionNonce;
}

/** Compact JSON with object keys sorted at every level (what nlohmann::json::dump() writes). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}

/** True when `incoming` should replace `current` (nothing there yet counts as losing). */
export function beats(incoming: BoardElement, current: BoardElement | undefined): boolean {
  return current === undefined || compareElements(incoming, current) > 0;
}

/** Same id, version and nonce: the same edit (whether or not it is the same object). */
export function sameEdit(a: BoardElement, b: BoardElement | undefined): boolean {
  return (
    b !== undefined && a.version === b.version && a.versionNonce === b.versionNonce && (a.isDeleted === true) === (b.isDeleted === true)
  );
}

/**
 * The editor's scene after the engine hands it winners (BoardSync decided they win): each one
 * replaces the scene's element of the same id unless the editor holds a newer edit the engine
 * has not seen yet, new ids are added, and the result is put in z-order by fractional index when
 * every element has one (Excalidraw's own order otherwise). Returns the same array when nothing
 * changed.
 */
export function mergeIntoScene<T extends BoardElement>(scene: readonly T[], incoming: readonly BoardElement[]): readonly T[] {
  if (incoming.length === 0) return scene;
  const byId = new Map<string, number>();
  scene.forEach((element, i) => byId.set(element.id, i));
  const next = [...scene];
  let changed = false;
  for (const element of incoming) {
    const at = byId.get(element.id);
    if (at === undefined) {
      byId.set(element.id, next.length);
      next.push(element as T);
      changed = true;
    } else if (!clearlyAhead(next[at], element) && compareElements(next[at], element) !== 0) {
      next[at] = element as T;
      changed = true;
    }
  }
  if (!changed) return scene;
  return sortByIndex(next);
}

/** Stable sort by fractional index; left as it is when some element has none (older scenes). */
export function sortByIndex<T extends BoardElement>(elements: T[]): T[] {
  if (!elements.every((e) => typeof e.index === 'string')) return elements;
  return elements
    .map((element, position) => ({ element, position }))
    .sort((a, b) => {
      const ai = a.element.index as string;
      const bi = b.element.index as string;
      if (ai !== bi) return ai < bi ? -1 : 1;
      return a.position - b.position;
    })
    .map(({ element }) => element);
}

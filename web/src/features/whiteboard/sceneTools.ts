/**
 * Small pure helpers of the board view that do not need Excalidraw itself (so the room chunk and
 * the tests can use them): error wording, cursor and viewport shapes.
 */
import { strings } from '../../i18n/strings';
import type { BoardSyncError } from './BoardSync';

/** The message to show for an engine error; null for those not worth telling (a lost connection). */
export function boardErrorMessage(error: BoardSyncError): string | null {
  switch (error.code) {
    case 'disconnected':
    case 'timeout':
      return null;
    case 'forbidden':
      return strings.board.forbidden;
    case 'payload_too_large':
      return /full/i.test(error.message) ? strings.board.boardFull : strings.board.tooLarge;
    case 'rate_limited':
      return strings.board.rateLimited;
    case 'validation_failed':
      return strings.board.invalid;
    default:
      return strings.board.syncFailed;
  }
}

/** Selected ids as the protocol sends them (a list, capped) from Excalidraw's record. */
export function selectedIds(record: Readonly<Record<string, boolean>> | undefined, max = 100): string[] {
  if (!record) return [];
  return Object.keys(record)
    .filter((id) => record[id])
    .slice(0, max);
}

/** Excalidraw's selectedElementIds from the protocol's list. */
export function selectionRecord(ids: readonly string[] | undefined): Record<string, true> {
  const record: Record<string, true> = {};
  for (const id of ids ?? []) record[id] = true;
  return record;
}

export const STICKY_NOTE = {
  width: 200,
  height: 200,
  backgroundColor: '#ffec99',
  strokeColor: '#f08c00',
} as const;

/** The scene point at the middle of the visible canvas (where a new sticky note goes). */
export function viewportCenter(appState: { scrollX: number; scrollY: number; width: number; height: number; zoom: { value: number } }): {
  x: number;
  y: number;
} {
  const zoom = appState.zoom.value || 1;
  return { x: -appState.scrollX + appState.width / 2 / zoom, y: -appState.scrollY + appState.height / 2 / zoom };
}

/**
 * The live elements' types, sorted and space-separated ("rectangle rectangle text"): what the
 * board container shows in data-element-types, so a browser test can see what a person sees on
 * the canvas (which is pixels, not DOM) without reaching into Excalidraw.
 */
export function sceneTypes(elements: readonly { type: string; isDeleted: boolean }[]): string {
  return elements
    .filter((e) => !e.isDeleted)
    .map((e) => e.type)
    .sort()
    .join(' ');
}

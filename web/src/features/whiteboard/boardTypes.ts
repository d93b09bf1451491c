/**
 * Wire types of the whiteboard part of the signaling protocol (issue 7, docs/protocol.md
 * "Whiteboard"). Elements are Excalidraw's own JSON, kept as sent: the sync engine reads only the
 * fields that order versions (id, version, versionNonce, isDeleted) and those that tie an element
 * to other state (type, fileId, index); the rest travels untouched.
 */

export type BoardElement = Readonly<{
  id: string;
  version: number;
  versionNonce: number;
  isDeleted?: boolean;
  type?: string;
  /** Excalidraw's fractional index: the z-order of the scene (strings compare in order). */
  index?: string | null;
  /** Image elements: the file the picture comes from (PUT/GET /board/files/{fileId}). */
  fileId?: string | null;
  [field: string]: unknown;
}>;

/** The answer of `board.sync`, one page of it. */
export interface BoardSyncPage {
  epoch: string;
  /** The board was replaced (other epoch, or no epoch asked): the elements are the whole scene. */
  reset: boolean;
  elements: BoardElement[];
  seq: number;
  /** False: ask again with sinceSeq = seq for the next page. */
  complete: boolean;
}

export interface BoardUpdateResult {
  seq: number;
  /** The server's winning versions of elements our update lost on. */
  superseded: BoardElement[];
}

export type PointerButton = 'down' | 'up';

export interface BoardCursor {
  x: number;
  y: number;
  pointer?: PointerButton;
  selected?: string[];
}

export interface RemoteCursor extends BoardCursor {
  peerId: string;
}

export interface BoardViewport {
  scrollX: number;
  scrollY: number;
  zoom: number;
}

export interface RemoteViewport extends BoardViewport {
  peerId: string;
}

export interface BoardFileNotice {
  fileId: string;
  mimeType: string;
}

/** GET /api/v1/meetings/{code}/board: the board kept after the meeting. */
export interface SavedBoard {
  elements: BoardElement[];
  files: { id: string; mimeType: string }[];
  updatedAt: string;
}

export function isBoardElement(value: unknown): value is BoardElement {
  const v = value as Partial<BoardElement> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.version === 'number' &&
    Number.isFinite(v.version) &&
    typeof v.versionNonce === 'number' &&
    Number.isFinite(v.versionNonce)
  );
}

/** The elements of a message that look like elements; anything else is dropped. */
export function boardElementsOf(value: unknown): BoardElement[] {
  return Array.isArray(value) ? value.filter(isBoardElement) : [];
}

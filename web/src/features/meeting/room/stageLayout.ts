/**
 * Which tiles the stage shows, and how: the pure part of the room's layout, so it can be tested
 * without a browser. Two modes, like Meet's:
 *  - grid: everyone the same size, a page at a time; a pinned tile, or shared screens, go on a
 *    large stage above a strip of the others;
 *  - speaker: one tile large (the pinned one, else a shared screen, else whoever speaks) above a
 *    strip of the others.
 * Tiles that are not on screen should not be received either: videoDemands() says, per remote
 * video consumer, whether the SFU should send it and in which simulcast layer.
 */

export type LayoutMode = 'grid' | 'speaker';

export interface StageTile {
  /** 'self', 'self-screen', a peer id, or `${peerId}-screen`. */
  key: string;
  peerId: string;
  isSelf: boolean;
  isScreen: boolean;
  /** The remote video consumer the tile plays (null for our own tiles or a camera that is off). */
  consumerId: string | null;
}

export interface Capacity {
  /** Tiles on one grid page. */
  grid: number;
  /** Columns at most in the grid. */
  columns: number;
  /** Tiles in the strip under a large stage. */
  strip: number;
}

export interface LayoutInput {
  tiles: StageTile[];
  mode: LayoutMode;
  pinned: string | null;
  /** The peer id the server named as speaking (activeSpeaker), if any. */
  activeSpeaker: string | null;
  /** The key on the stage last time: it stays there while nobody speaks, so the stage does not flicker. */
  previousStage: string | null;
  /** Zero-based; clamped to the pages there are. */
  page: number;
  capacity: Capacity;
}

export interface StageLayout {
  /** Shown large, above the rest (empty in a plain grid). */
  stage: string[];
  /** The current page of the others: the grid, or the strip under the stage. */
  tiles: string[];
  page: number;
  pageCount: number;
}

/** How many tiles fit the window: 2x3 on a phone, 3x3 on a desktop, 4x4 on a large screen. */
export function capacityFor(width: number, height: number): Capacity {
  if (width < 576) return { grid: 6, columns: 2, strip: 2 };
  const strip = Math.max(2, Math.min(8, Math.floor((width - 16) / 200)));
  if (width >= 1600 && height >= 900) return { grid: 16, columns: 4, strip };
  return { grid: 9, columns: 3, strip };
}

/** Columns and rows for a page of `count` tiles: as square as the columns allow. */
export function gridShape(count: number, maxColumns: number): { columns: number; rows: number } {
  const columns = Math.max(1, Math.min(maxColumns, Math.ceil(Math.sqrt(count))));
  return { columns, rows: Math.max(1, Math.ceil(count / columns)) };
}

function speakerStage({ tiles, pinned, activeSpeaker, previousStage }: LayoutInput): string | null {
  const has = (key: string | null) => key !== null && tiles.some((t) => t.key === key);
  if (has(pinned)) return pinned;
  // A remote screen first; our own is not put in front of us (a picture of the picture).
  const screen = tiles.find((t) => t.isScreen && !t.isSelf);
  if (screen) return screen.key;
  const speaker = tiles.find((t) => !t.isScreen && !t.isSelf && t.peerId === activeSpeaker);
  if (speaker) return speaker.key;
  const previous = tiles.find((t) => t.key === previousStage && !t.isSelf);
  if (previous) return previous.key;
  return (tiles.find((t) => !t.isScreen && !t.isSelf) ?? tiles[0])?.key ?? null;
}

export function layoutStage(input: LayoutInput): StageLayout {
  const { tiles, mode, pinned, capacity } = input;
  let stage: string[];
  if (mode === 'speaker') {
    const key = speakerStage(input);
    stage = key && tiles.length > 1 ? [key] : [];
  } else if (pinned !== null && tiles.some((t) => t.key === pinned)) {
    stage = [pinned];
  } else {
    stage = tiles.filter((t) => t.isScreen).map((t) => t.key);
  }
  const rest = tiles.filter((t) => !stage.includes(t.key)).map((t) => t.key);
  const size = Math.max(1, stage.length > 0 ? capacity.strip : capacity.grid);
  const pageCount = Math.max(1, Math.ceil(rest.length / size));
  const page = Math.min(Math.max(0, Math.floor(input.page)), pageCount - 1);
  return { stage, tiles: rest.slice(page * size, (page + 1) * size), page, pageCount };
}

/**
 * A phone held upright: the speaker's (or the pinned, or a shared screen's) tile large, all the
 * others in one strip that is swiped through rather than paged, whatever the chosen mode.
 */
export function layoutPhone(input: Omit<LayoutInput, 'mode' | 'page' | 'capacity'>): StageLayout {
  const all = Math.max(1, input.tiles.length);
  return layoutStage({ ...input, mode: 'speaker', page: 0, capacity: { grid: all, columns: 1, strip: all } });
}

/** The whiteboard's strip: no large tile, a page of small ones in a row. */
export function layoutStrip(tiles: StageTile[], page: number, size: number): StageLayout {
  const keys = tiles.map((t) => t.key);
  const perPage = Math.max(1, size);
  const pageCount = Math.max(1, Math.ceil(keys.length / perPage));
  const current = Math.min(Math.max(0, Math.floor(page)), pageCount - 1);
  return { stage: [], tiles: keys.slice(current * perPage, (current + 1) * perPage), page: current, pageCount };
}

export interface VideoDemand {
  visible: boolean;
  /** The top simulcast layer (tile shown large) rather than the middle one. */
  large: boolean;
}

/**
 * What each remote video consumer should get: hidden when its tile is off screen (on another
 * page, or among `scrolledOff`, the keys of strip tiles scrolled out of view), the large layer on
 * the stage or when one or two tiles fill the grid, the middle layer otherwise.
 */
export function videoDemands(
  tiles: StageTile[],
  layout: StageLayout,
  scrolledOff: ReadonlySet<string> = new Set(),
): Map<string, VideoDemand> {
  const largeGrid = layout.stage.length === 0 && layout.tiles.length <= 2;
  const demands = new Map<string, VideoDemand>();
  for (const tile of tiles) {
    if (!tile.consumerId) continue;
    const onStage = layout.stage.includes(tile.key);
    const visible = onStage || (layout.tiles.includes(tile.key) && !scrolledOff.has(tile.key));
    demands.set(tile.consumerId, { visible, large: visible && (onStage || largeGrid) });
  }
  return demands;
}

import { useEffect, useRef, useState } from 'react';
import { strings } from '../../../i18n/strings';
import type { MeetingClient, MeetingState } from '../../../meeting/MeetingClient';
import { usePhonePortrait, useScrolledOffTiles } from './phoneLayout';
import {
  capacityFor,
  gridShape,
  layoutPhone,
  layoutStage,
  layoutStrip,
  videoDemands,
  type LayoutMode,
  type StageTile,
} from './stageLayout';
import type { FloatingReaction } from './useReactions';
import { VideoTile, type TileProps } from './VideoTile';

type Tile = StageTile & TileProps;

/** Our tiles and everyone else's, in the order they show: our screen and camera, then each peer's. */
export function buildTiles(state: MeetingState): Tile[] {
  const self = state.self;
  if (!self) return [];
  const tiles: Tile[] = [];
  const base = { micMuted: false, speaking: false };
  if (state.local.screen && state.local.screenTrack) {
    tiles.push({
      ...base,
      key: 'self-screen',
      peerId: self.peerId,
      consumerId: null,
      name: self.displayName,
      video: state.local.screenTrack,
      isSelf: true,
      isScreen: true,
    });
  }
  tiles.push({
    key: 'self',
    peerId: self.peerId,
    consumerId: null,
    name: self.displayName,
    video: state.local.cameraTrack,
    micMuted: !state.local.mic,
    speaking: state.activeSpeaker === self.peerId,
    isSelf: true,
    isScreen: false,
    handRaised: state.handRaised,
  });
  for (const peer of state.peers) {
    const camera = state.remote.find((t) => t.peerId === peer.peerId && t.source === 'camera');
    const screen = state.remote.find((t) => t.peerId === peer.peerId && t.source === 'screen');
    if (screen) {
      tiles.push({
        ...base,
        key: `${peer.peerId}-screen`,
        peerId: peer.peerId,
        consumerId: screen.consumerId,
        name: peer.displayName,
        video: screen.track,
        videoPaused: screen.paused,
        isSelf: false,
        isScreen: true,
      });
    }
    tiles.push({
      key: peer.peerId,
      peerId: peer.peerId,
      consumerId: camera?.consumerId ?? null,
      name: peer.displayName,
      video: camera?.track ?? null,
      videoPaused: camera?.paused,
      micMuted: peer.muted.audio,
      speaking: state.activeSpeaker === peer.peerId,
      isSelf: false,
      isScreen: false,
      handRaised: peer.handRaised,
      reconnecting: peer.connection === 'reconnecting',
    });
  }
  return tiles;
}

function useWindowSize(): { width: number; height: number } {
  const read = () => ({ width: window.innerWidth, height: window.innerHeight });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return size;
}

interface StageProps {
  state: MeetingState;
  client: Pick<MeetingClient, 'setVideoVisibility'>;
  mode: LayoutMode;
  reactions: FloatingReaction[];
  /** A side panel takes this much of the window's width (0 when closed or covering the stage). */
  sideWidth: number;
  /** Only a strip of small tiles (under the whiteboard). */
  strip?: boolean;
}

/**
 * The tiles: a paged grid, or one large tile above a strip (stageLayout.ts decides which). It
 * tells the SFU to stop sending the video of tiles that are not on screen, and which simulcast
 * layer fits the others, so a large meeting costs only what is seen.
 */
export function Stage({ state, client, mode, reactions, sideWidth, strip: stripOnly = false }: StageProps) {
  const [pinned, setPinned] = useState<string | null>(null);
  const [paging, setPaging] = useState({ mode, page: 0 });
  const page = paging.mode === mode ? paging.page : 0;
  // The last one of the others who spoke stays on the speaker stage through silences.
  const [lastSpeaker, setLastSpeaker] = useState<string | null>(null);
  const speaker = state.activeSpeaker;
  if (speaker && speaker !== state.self?.peerId && speaker !== lastSpeaker) setLastSpeaker(speaker);

  const size = useWindowSize();
  // On a phone held upright the others are swiped through in one strip instead of paged.
  const phone = usePhonePortrait() && !stripOnly;
  const capacity = capacityFor(size.width - sideWidth, size.height);
  const tiles = buildTiles(state);
  const layout = stripOnly
    ? layoutStrip(tiles, page, capacity.strip)
    : phone
      ? layoutPhone({ tiles, pinned, activeSpeaker: speaker, previousStage: lastSpeaker })
      : layoutStage({ tiles, mode, pinned, activeSpeaker: speaker, previousStage: lastSpeaker, page, capacity });
  const stripRef = useRef<HTMLDivElement>(null);
  const swipeStrip = phone && layout.stage.length > 0;
  const scrolledOff = useScrolledOffTiles(stripRef, layout.tiles, swipeStrip);
  const demands = videoDemands(tiles, layout, scrolledOff);
  // Strip tiles are small: the middle simulcast layer is enough.
  if (stripOnly) for (const [id, demand] of demands) demands.set(id, { ...demand, large: false });

  // A pinned or unpinned tile moves between the stage and the grid, so its pin button is a new
  // element: give it the keyboard focus back, or it would fall to the page.
  const rootRef = useRef<HTMLElement>(null);
  const refocus = useRef<string | null>(null);
  const togglePin = (key: string) => {
    refocus.current = key;
    setPinned(pinned === key ? null : key);
  };
  useEffect(() => {
    const key = refocus.current;
    if (!key) return;
    refocus.current = null;
    const tile = [...(rootRef.current?.querySelectorAll<HTMLElement>('[data-tile-key]') ?? [])].find((t) => t.dataset.tileKey === key);
    tile?.querySelector<HTMLButtonElement>('.tile-pin')?.focus();
  });

  const requested = useRef(new Map<string, string>());
  useEffect(() => {
    const sent = requested.current;
    for (const id of [...sent.keys()]) if (!demands.has(id)) sent.delete(id);
    for (const [consumerId, demand] of demands) {
      const want = !demand.visible ? 'hidden' : demand.large ? 'large' : 'small';
      if (sent.get(consumerId) === want) continue;
      sent.set(consumerId, want);
      void client.setVideoVisibility(consumerId, demand.visible, demand.large).catch(() => undefined);
    }
  }, [client, demands]);

  const byKey = new Map(tiles.map((t) => [t.key, t]));
  const render = (key: string) => {
    const { key: _key, peerId, consumerId: _consumer, ...tile } = byKey.get(key)!;
    return (
      <VideoTile
        key={key}
        {...tile}
        pinned={pinned === key}
        tileKey={key}
        onPin={tiles.length > 1 ? () => togglePin(key) : undefined}
        reactions={tile.isScreen ? undefined : reactions.filter((r) => r.peerId === peerId)}
      />
    );
  };

  // Reactions of people whose tile is on another page still show, with their name, in a corner.
  const shown = new Set([...layout.stage, ...layout.tiles].map((key) => byKey.get(key)!.peerId));
  const nameOf = new Map(tiles.map((t) => [t.peerId, t.name]));
  const offstage = reactions.filter((r) => !shown.has(r.peerId) && nameOf.has(r.peerId));

  const strip = stripOnly || layout.stage.length > 0;
  const shape = gridShape(layout.tiles.length, capacity.columns);
  // 16:9 tiles that fit the height left between the header and the controls (about 12rem with a
  // banner, 3rem more for the pager), so a lone tile never runs under the control bar.
  const reserved = layout.pageCount > 1 ? '15rem' : '12rem';
  const gridMaxWidth = `calc((100vh - ${reserved}) * ${((16 / 9) * shape.columns) / shape.rows})`;
  const goTo = (next: number) => setPaging({ mode, page: next });

  return (
    <main
      ref={rootRef}
      className={`stage d-flex flex-column gap-2 p-2 overflow-auto ${stripOnly ? 'stage-strip flex-shrink-0' : 'flex-grow-1'}`}
      data-layout={stripOnly ? 'strip' : phone ? 'phone' : mode}
      data-testid="stage"
      aria-label={stripOnly ? strings.board.videos : undefined}
    >
      {layout.stage.map((key) => (
        <div key={key} className="screen-stage">
          {render(key)}
        </div>
      ))}
      <div
        ref={stripRef}
        className={`tile-grid w-100 mx-auto${strip ? ' tile-strip' : ''}${swipeStrip ? ' swipe-strip' : ''}`}
        data-testid={swipeStrip ? 'swipe-strip' : undefined}
        style={
          swipeStrip
            ? // 'safe': a centred row that overflows would be cut off at the left, out of the scroll's reach.
              { gridAutoFlow: 'column', gridAutoColumns: 'min(12rem, 44vw)', justifyContent: 'safe center', overflowX: 'auto' }
            : strip
              ? // Under a large tile the others become a strip of small tiles.
                { gridAutoFlow: 'column', gridAutoColumns: 'min(12rem, 44vw)', justifyContent: 'center', overflowX: 'auto' }
              : { gridTemplateColumns: `repeat(${shape.columns}, minmax(0, 1fr))`, maxWidth: gridMaxWidth }
        }
      >
        {layout.tiles.map(render)}
      </div>
      {layout.pageCount > 1 && (
        <nav className="d-flex align-items-center justify-content-center gap-2 small" aria-label={strings.room.pages}>
          <button
            type="button"
            className="btn btn-sm btn-outline-light rounded-circle"
            aria-label={strings.room.previousPage}
            disabled={layout.page === 0}
            onClick={() => goTo(layout.page - 1)}
            data-testid="page-previous"
          >
            <i className="bi bi-chevron-left" aria-hidden="true" />
          </button>
          <span aria-live="polite" data-testid="page-label">
            {strings.room.pageOf(layout.page + 1, layout.pageCount)}
          </span>
          <button
            type="button"
            className="btn btn-sm btn-outline-light rounded-circle"
            aria-label={strings.room.nextPage}
            disabled={layout.page >= layout.pageCount - 1}
            onClick={() => goTo(layout.page + 1)}
            data-testid="page-next"
          >
            <i className="bi bi-chevron-right" aria-hidden="true" />
          </button>
        </nav>
      )}
      <div className="offstage-reactions" aria-live="polite" data-testid="offstage-reactions">
        {offstage.map((r) => (
          <div key={r.id} className="offstage-reaction rounded-pill px-2 py-1 small">
            <span role="img" aria-label={strings.room.reacted(nameOf.get(r.peerId)!, r.emoji)}>
              {r.emoji}
            </span>{' '}
            <span aria-hidden="true">{nameOf.get(r.peerId)}</span>
          </div>
        ))}
      </div>
      {state.peers.length === 0 && !stripOnly && <p className="text-center text-white-50 small mt-2">{strings.room.aloneHint}</p>}
    </main>
  );
}

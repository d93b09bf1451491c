/**
 * The live board: Excalidraw wired to a BoardSession. Loaded lazily (its own chunk, fetched only
 * when a board opens) because Excalidraw is most of a megabyte of script.
 * - Local edits: onChange → engine.applyLocal (it sends only what changed); images pasted or
 *   inserted are checked (type, 2 MiB) and PUT to the server before others fetch them.
 * - Remote edits: the engine's winners are merged into the editor's scene, outside the undo
 *   history (undo/redo stay local, as Excalidraw's collaboration does).
 * - Cursors: ours throttled to the server, others' shown as Excalidraw collaborators with names.
 * - Viewport: a presenting host's scroll and zoom are sent; followers' views follow them.
 */
import './assetPath';
import '@excalidraw/excalidraw/index.css';
import {
  CaptureUpdateAction,
  convertToExcalidrawElements,
  Excalidraw,
  hashElementsVersion,
  newElementWith,
  ROUNDNESS,
} from '@excalidraw/excalidraw';
import type { ExcalidrawElement, FileId } from '@excalidraw/excalidraw/element/types';
import type {
  AppState,
  BinaryFileData,
  BinaryFiles,
  Collaborator,
  DataURL,
  ExcalidrawImperativeAPI,
  SocketId,
} from '@excalidraw/excalidraw/types';
import { useCallback, useEffect, useRef, useState } from 'react';
import { strings } from '../../i18n/strings';
import { BoardSession, type BoardMeetingLink } from './BoardSession';
import { blobToDataUrl, dataUrlToBlob, downloadBoardFile, imageProblem, uploadBoardFile, type TokenSource } from './boardFiles';
import type { BoardElement, RemoteViewport } from './boardTypes';
import { mergeIntoScene } from './reconcile';
import { boardErrorMessage, sceneTypes, selectedIds, selectionRecord, STICKY_NOTE, viewportCenter } from './sceneTools';

export interface BoardCanvasProps {
  client: BoardMeetingLink;
  code: string;
  token: TokenSource;
  /** Names for the cursors of everyone else in the meeting. */
  peers: readonly { peerId: string; displayName: string }[];
  canEdit: boolean;
  /** Hosts and co-hosts sharing their view. */
  presenting: boolean;
  follow: boolean;
  onError: (message: string) => void;
}

type Scene = readonly ExcalidrawElement[];
const asScene = (elements: readonly BoardElement[]) => elements as unknown as Scene;
const asBoard = (elements: Scene) => elements as unknown as readonly BoardElement[];

export default function BoardCanvas({ client, code, token, peers, canEdit, presenting, follow, onError }: BoardCanvasProps) {
  const [api, setApi] = useState<ExcalidrawImperativeAPI | null>(null);
  const [ready, setReady] = useState(false);
  const session = useRef<BoardSession | null>(null);
  const container = useRef<HTMLDivElement>(null);
  // Props the long-lived callbacks read: kept in refs so the engine is made once per board.
  const live = useRef({ follow, presenting, peers, onError, code, token });
  live.current = { follow, presenting, peers, onError, code, token };
  const collaborators = useRef(new Map<SocketId, Collaborator>());
  const lastViewport = useRef<RemoteViewport | null>(null);
  // handled: files uploaded (or uploading) or fetched; rejected: refused here; accepted: files an
  // image element may name and be sent with (ours that passed the checks, and everyone else's).
  const files = useRef({ handled: new Set<string>(), rejected: new Set<string>(), accepted: new Set<string>(), lastHash: -1 });

  const applyViewport = useCallback((target: ExcalidrawImperativeAPI, viewport: RemoteViewport) => {
    target.updateScene({
      appState: { scrollX: viewport.scrollX, scrollY: viewport.scrollY, zoom: { value: viewport.zoom as AppState['zoom']['value'] } },
      captureUpdate: CaptureUpdateAction.NEVER,
    });
  }, []);

  // Images others put on the board (or that were there before we came): fetched once each.
  const fetchFile = useCallback((target: ExcalidrawImperativeAPI, fileId: string) => {
    const known = files.current;
    if (known.handled.has(fileId)) return;
    known.handled.add(fileId);
    const { code: meeting, token: bearer } = live.current;
    downloadBoardFile({ code: meeting, token: bearer, fileId })
      .then(async (blob) => {
        const data: BinaryFileData = {
          id: fileId as FileId,
          mimeType: (blob.type || 'image/png') as BinaryFileData['mimeType'],
          dataURL: (await blobToDataUrl(blob)) as DataURL,
          created: Date.now(),
        };
        target.addFiles([data]);
      })
      // Not uploaded yet (board.file tells us when it is): try again then.
      .catch(() => known.handled.delete(fileId));
  }, []);

  const fetchMissingFiles = useCallback(
    (target: ExcalidrawImperativeAPI, elements: readonly BoardElement[]) => {
      for (const element of elements) {
        if (element.type === 'image' && typeof element.fileId === 'string' && !element.isDeleted) fetchFile(target, element.fileId);
      }
    },
    [fetchFile],
  );

  useEffect(() => {
    if (!api) return;
    const board = new BoardSession(client, {
      scene: (elements, reset) => {
        for (const element of elements) if (typeof element.fileId === 'string') files.current.accepted.add(element.fileId);
        const current = api.getSceneElementsIncludingDeleted();
        const next = reset ? asScene(elements) : (mergeIntoScene(current, asBoard(asScene(elements))) as unknown as Scene);
        if (next !== current) api.updateScene({ elements: next, captureUpdate: CaptureUpdateAction.NEVER });
        fetchMissingFiles(api, elements);
      },
      cursor: (cursor) => {
        const name = live.current.peers.find((p) => p.peerId === cursor.peerId)?.displayName ?? null;
        collaborators.current.set(cursor.peerId as SocketId, {
          id: cursor.peerId,
          socketId: cursor.peerId as SocketId,
          username: name,
          pointer: { x: cursor.x, y: cursor.y, tool: 'pointer' },
          button: cursor.pointer ?? 'up',
          selectedElementIds: selectionRecord(cursor.selected),
        });
        api.updateScene({ collaborators: new Map(collaborators.current) });
      },
      viewport: (viewport) => {
        lastViewport.current = viewport;
        if (live.current.follow && !live.current.presenting) applyViewport(api, viewport);
      },
      file: (file) => {
        files.current.handled.delete(file.fileId);
        fetchFile(api, file.fileId);
      },
      error: (error) => {
        const message = boardErrorMessage(error);
        if (message) live.current.onError(message);
      },
    });
    session.current = board;
    let cancelled = false;
    board
      .start()
      .then(() => {
        if (!cancelled && board.engine.isReady) setReady(true);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      session.current = null;
      board.dispose();
    };
  }, [api, client, applyViewport, fetchFile, fetchMissingFiles]);

  useEffect(() => session.current?.engine.setCanEdit(canEdit), [canEdit, ready]);

  // Cursors of people who left go away with them.
  useEffect(() => {
    if (!api) return;
    const here = new Set(peers.map((p) => p.peerId));
    let changed = false;
    for (const [id, collaborator] of collaborators.current) {
      const peer = peers.find((p) => p.peerId === collaborator.id);
      if (!here.has(String(collaborator.id))) {
        collaborators.current.delete(id);
        changed = true;
      } else if (peer && peer.displayName !== collaborator.username) {
        collaborators.current.set(id, { ...collaborator, username: peer.displayName });
        changed = true;
      }
    }
    if (changed) api.updateScene({ collaborators: new Map(collaborators.current) });
  }, [api, peers]);

  // Turning "Follow presenter" on jumps to where the presenter is now.
  useEffect(() => {
    if (api && follow && !presenting && lastViewport.current) applyViewport(api, lastViewport.current);
  }, [api, follow, presenting, applyViewport]);

  /** New images in the editor: refused (and removed) when the server would refuse them, else uploaded. */
  const handleLocalFiles = (target: ExcalidrawImperativeAPI, binaries: BinaryFiles) => {
    const known = files.current;
    for (const file of Object.values(binaries)) {
      if (known.handled.has(file.id) || known.rejected.has(file.id)) continue;
      known.handled.add(file.id);
      let blob: Blob;
      try {
        blob = dataUrlToBlob(file.dataURL);
      } catch {
        continue;
      }
      const problem = imageProblem(file.mimeType, blob.size);
      if (problem) {
        known.rejected.add(file.id);
        live.current.onError(problem);
        // Off the board at once, after this change is done.
        setTimeout(() => {
          const scene = target.getSceneElementsIncludingDeleted();
          target.updateScene({
            elements: scene.map((e) =>
              e.type === 'image' && e.fileId === file.id && !e.isDeleted ? newElementWith(e, { isDeleted: true }) : e,
            ),
            captureUpdate: CaptureUpdateAction.NEVER,
          });
        }, 0);
        continue;
      }
      known.accepted.add(file.id);
      // Its image element may go to the others now (see sendable): compare the scene again.
      known.lastHash = -1;
      const { code: meeting, token: bearer } = live.current;
      uploadBoardFile({ code: meeting, token: bearer, fileId: file.id, blob }).catch((error: unknown) => {
        known.handled.delete(file.id);
        live.current.onError(strings.board.uploadFailed(error instanceof Error ? error.message : String(error)));
      });
    }
  };

  // An image element waits here until its file is known and accepted: Excalidraw puts a
  // placeholder on the board before it has read the file, and a refused picture must not reach
  // the others even as a placeholder.
  const sendable = (element: ExcalidrawElement) =>
    element.type !== 'image' || (element.fileId !== null && files.current.accepted.has(element.fileId));

  const onChange = (elements: Scene, appState: AppState, binaries: BinaryFiles) => {
    const board = session.current;
    if (!api || !board?.engine.isReady) return;
    handleLocalFiles(api, binaries);
    // onChange runs on every pointer move: compare the scene only when some version changed.
    const hash = hashElementsVersion(elements);
    if (hash === files.current.lastHash) return;
    files.current.lastHash = hash;
    // Written to the DOM directly: a React state would re-render Excalidraw on every stroke.
    if (container.current) container.current.dataset.elementTypes = sceneTypes(elements);
    board.engine.applyLocal(elements.filter(sendable));
    void appState;
  };

  const addStickyNote = () => {
    if (!api) return;
    const appState = api.getAppState();
    const center = viewportCenter(appState);
    const note = convertToExcalidrawElements([
      {
        type: 'rectangle',
        x: center.x - STICKY_NOTE.width / 2,
        y: center.y - STICKY_NOTE.height / 2,
        width: STICKY_NOTE.width,
        height: STICKY_NOTE.height,
        backgroundColor: STICKY_NOTE.backgroundColor,
        strokeColor: STICKY_NOTE.strokeColor,
        fillStyle: 'solid',
        roundness: { type: ROUNDNESS.ADAPTIVE_RADIUS },
        label: { text: strings.board.stickyNoteText, fontSize: 20, strokeColor: '#1e1e1e' },
      },
    ]);
    api.updateScene({
      elements: [...api.getSceneElementsIncludingDeleted(), ...note],
      appState: { selectedElementIds: { [note[0].id]: true } },
      captureUpdate: CaptureUpdateAction.IMMEDIATELY,
    });
  };

  return (
    <div ref={container} className="board-canvas h-100 w-100" data-testid="board-canvas" data-ready={ready}>
      <Excalidraw
        excalidrawAPI={setApi}
        onChange={onChange}
        onPointerUpdate={({ pointer, button }) => {
          const selected = api ? selectedIds(api.getAppState().selectedElementIds) : [];
          session.current?.engine.sendCursor({ x: pointer.x, y: pointer.y, pointer: button, ...(selected.length ? { selected } : {}) });
        }}
        onScrollChange={(scrollX, scrollY, zoom) => {
          if (live.current.presenting) session.current?.engine.sendViewport({ scrollX, scrollY, zoom: zoom.value });
        }}
        isCollaborating
        viewModeEnabled={!ready || !canEdit}
        langCode="en"
        aiEnabled={false}
        validateEmbeddable={() => false}
        UIOptions={{ canvasActions: { loadScene: false, saveToActiveFile: false, export: false }, tools: { image: true } }}
        renderTopRightUI={() =>
          ready && canEdit ? (
            <button
              type="button"
              className="board-sticky btn btn-sm btn-warning"
              onClick={addStickyNote}
              aria-label={strings.board.addStickyNote}
              title={strings.board.addStickyNote}
              data-testid="board-sticky-note"
            >
              <i className="bi bi-sticky me-1" aria-hidden="true" />
              {strings.board.stickyNote}
            </button>
          ) : null
        }
      />
    </div>
  );
}

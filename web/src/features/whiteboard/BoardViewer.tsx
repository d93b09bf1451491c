/**
 * A saved board, read-only, with its exports (PNG and SVG through Excalidraw's exporters, the
 * scene as an .excalidraw file). A lazy chunk of the history page, like the live board.
 */
import './assetPath';
import '@excalidraw/excalidraw/index.css';
import { Excalidraw, exportToBlob, exportToSvg, serializeAsJSON } from '@excalidraw/excalidraw';
import type { ExcalidrawElement, FileId } from '@excalidraw/excalidraw/element/types';
import type { BinaryFileData, BinaryFiles, DataURL } from '@excalidraw/excalidraw/types';
import { useEffect, useState } from 'react';
import { strings } from '../../i18n/strings';
import { blobToDataUrl, downloadSavedBoardFile } from './boardFiles';
import { exportFileName, saveBlob } from './boardExport';
import type { SavedBoard } from './boardTypes';

export interface BoardViewerProps {
  code: string;
  title: string;
  board: SavedBoard;
  /** For tests: the image loader (defaults to the REST download with the session's token). */
  loadFile?: (fileId: string) => Promise<Blob>;
}

const EXPORT_APP_STATE = { exportBackground: true, viewBackgroundColor: '#ffffff' };

export default function BoardViewer({ code, title, board, loadFile }: BoardViewerProps) {
  const [files, setFiles] = useState<BinaryFiles | null>(board.files.length === 0 ? {} : null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const elements = board.elements as unknown as ExcalidrawElement[];
  const live = elements.filter((e) => !e.isDeleted);

  useEffect(() => {
    if (board.files.length === 0) return;
    let current = true;
    const load = loadFile ?? ((fileId: string) => downloadSavedBoardFile(code, fileId));
    void Promise.all(
      board.files.map(async (file): Promise<BinaryFileData | null> => {
        try {
          const blob = await load(file.id);
          return {
            id: file.id as FileId,
            mimeType: file.mimeType as BinaryFileData['mimeType'],
            dataURL: (await blobToDataUrl(blob)) as DataURL,
            created: Date.now(),
          };
        } catch {
          return null; // a missing picture leaves a placeholder, not a broken page
        }
      }),
    ).then((loaded) => {
      if (!current) return;
      const record: BinaryFiles = {};
      for (const file of loaded) if (file) record[file.id] = file;
      setFiles(record);
    });
    return () => {
      current = false;
    };
  }, [board, code, loadFile]);

  const run = (kind: string, action: () => Promise<void>) => async () => {
    setBusy(kind);
    setError(null);
    try {
      await action();
    } catch {
      setError(strings.board.exportFailed);
    } finally {
      setBusy(null);
    }
  };

  const exportPng = run('png', async () => {
    const blob = await exportToBlob({ elements: live, files, appState: EXPORT_APP_STATE, mimeType: 'image/png' });
    saveBlob(blob, exportFileName(title, board.updatedAt, 'png'));
  });
  const exportSvg = run('svg', async () => {
    const svg = await exportToSvg({ elements: live, files, appState: EXPORT_APP_STATE });
    saveBlob(new Blob([svg.outerHTML], { type: 'image/svg+xml' }), exportFileName(title, board.updatedAt, 'svg'));
  });
  const downloadJson = run('json', async () => {
    const json = serializeAsJSON(live, EXPORT_APP_STATE, files ?? {}, 'local');
    saveBlob(new Blob([json], { type: 'application/vnd.excalidraw+json' }), exportFileName(title, board.updatedAt, 'excalidraw'));
  });

  const buttons: [string, string, string, () => Promise<void>][] = [
    ['png', strings.board.exportPng, 'bi-file-earmark-image', exportPng],
    ['svg', strings.board.exportSvg, 'bi-filetype-svg', exportSvg],
    ['json', strings.board.downloadJson, 'bi-download', downloadJson],
  ];

  return (
    <div>
      <div className="d-flex flex-wrap gap-2 mb-2" role="group" aria-label={strings.board.title}>
        {buttons.map(([kind, label, icon, action]) => (
          <button
            key={kind}
            type="button"
            className="btn btn-sm btn-outline-primary"
            onClick={() => void action()}
            disabled={busy !== null || files === null}
            data-testid={`board-export-${kind}`}
          >
            <i className={`bi ${icon} me-1`} aria-hidden="true" />
            {label}
          </button>
        ))}
      </div>
      {error && (
        <div className="alert alert-danger py-2" role="alert">
          {error}
        </div>
      )}
      <div
        className="board-viewer border rounded-3 overflow-hidden"
        style={{ height: '28rem' }}
        aria-label={strings.board.viewer}
        role="region"
      >
        {files !== null && (
          <Excalidraw
            initialData={{ elements, files, scrollToContent: true, appState: { viewBackgroundColor: '#ffffff' } }}
            viewModeEnabled
            langCode="en"
            aiEnabled={false}
            validateEmbeddable={() => false}
            UIOptions={{ canvasActions: { loadScene: false, saveToActiveFile: false, export: false, clearCanvas: false } }}
          />
        )}
      </div>
    </div>
  );
}

/**
 * Meeting history's "Whiteboard" section: shown when the meeting kept a board (GET …/board; a 404
 * shows nothing). The viewer with its exports is a lazy chunk, fetched only for such meetings.
 */
import { lazy, Suspense } from 'react';
import { strings } from '../../i18n/strings';
import { formatDateTime } from '../../ui/format';
import { useAsync } from '../../ui/useAsync';
import { getSavedBoard } from './boardFiles';

const BoardViewer = lazy(() => import('./BoardViewer'));

export function BoardHistory({ code, title }: { code: string; title: string }) {
  const { data: board } = useAsync(() => getSavedBoard(code), [code]);
  if (!board) return null;
  return (
    <section className="mt-4" aria-labelledby="board-history-title" data-testid="board-history">
      <h2 className="h5" id="board-history-title">
        {strings.board.title}
      </h2>
      <p className="text-secondary small mb-2">
        {strings.board.historyLead} {board.updatedAt ? strings.board.updated(formatDateTime(board.updatedAt)) : null}
      </p>
      <Suspense
        fallback={
          <p className="text-secondary" role="status">
            {strings.board.loading}
          </p>
        }
      >
        <BoardViewer code={code} title={title} board={board} />
      </Suspense>
    </section>
  );
}

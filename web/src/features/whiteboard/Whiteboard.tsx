/**
 * The whiteboard as the room's main stage: a toolbar (follow the presenter, share my view, who
 * may draw, close for everyone) above the live board. The board itself (Excalidraw) is a lazy
 * chunk: the room does not grow by its size, and it is only fetched when a board opens.
 */
import { Component, lazy, Suspense, useState, type ReactNode } from 'react';
import { strings } from '../../i18n/strings';
import type { MeetingClient, MeetingState } from '../../meeting/MeetingClient';

const BoardCanvas = lazy(() => import('./BoardCanvas'));

class ChunkBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (this.state.failed) {
      return (
        <div className="alert alert-danger m-3" role="alert">
          {strings.board.loadFailed}
        </div>
      );
    }
    return this.props.children;
  }
}

export type WhiteboardClient = Pick<
  MeetingClient,
  'boardRequest' | 'onBoardNotification' | 'subscribe' | 'getState' | 'boardToken' | 'setBoardOpen' | 'setBoardReadOnly' | 'showNotice'
>;

interface WhiteboardProps {
  client: WhiteboardClient;
  state: MeetingState;
}

function Switch({
  id,
  label,
  checked,
  onChange,
  testId,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  testId: string;
}) {
  return (
    <div className="form-check form-switch m-0 text-nowrap">
      <input
        className="form-check-input"
        type="checkbox"
        role="switch"
        id={id}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={testId}
      />
      <label className="form-check-label small" htmlFor={id}>
        {label}
      </label>
    </div>
  );
}

export function Whiteboard({ client, state }: WhiteboardProps) {
  const self = state.self;
  const moderator = self?.role === 'host' || self?.role === 'cohost';
  const [follow, setFollow] = useState(!moderator);
  const [presenting, setPresenting] = useState(false);
  const board = state.board;
  if (!self || !state.meeting || !board) return null;
  const readOnly = board.readOnly;
  const canEdit = !readOnly || moderator;
  const tell = (message: string) => client.showNotice(message);

  return (
    <section
      className="whiteboard d-flex flex-column flex-grow-1 overflow-hidden rounded-3 m-2 mb-0 bg-body text-body"
      aria-label={strings.board.region}
      data-testid="whiteboard"
    >
      <div className="d-flex flex-wrap align-items-center gap-3 px-3 py-2 border-bottom">
        <h2 className="h6 m-0">
          <i className="bi bi-easel me-2" aria-hidden="true" />
          {strings.board.title}
        </h2>
        {readOnly && (
          <span className="badge text-bg-secondary" data-testid="board-read-only">
            <i className="bi bi-lock-fill me-1" aria-hidden="true" />
            {moderator ? strings.board.readOnlyForOthers : strings.board.readOnlyHint}
          </span>
        )}
        <div className="d-flex flex-wrap align-items-center gap-3 ms-auto">
          {moderator ? (
            <Switch id="board-present" label={strings.board.present} checked={presenting} onChange={setPresenting} testId="board-present" />
          ) : null}
          {!presenting && (
            <Switch id="board-follow" label={strings.board.followPresenter} checked={follow} onChange={setFollow} testId="board-follow" />
          )}
          {moderator && (
            <Switch
              id="board-read-only-switch"
              label={strings.board.readOnly}
              checked={readOnly}
              onChange={(on) => void client.setBoardReadOnly(on).catch(() => tell(strings.board.readOnlyFailed))}
              testId="board-read-only-switch"
            />
          )}
          {moderator && (
            <button
              type="button"
              className="btn btn-sm btn-outline-secondary"
              onClick={() => void client.setBoardOpen(false).catch(() => tell(strings.board.closeFailed))}
              data-testid="board-close"
            >
              <i className="bi bi-x-lg me-1" aria-hidden="true" />
              {strings.board.closeForAll}
            </button>
          )}
        </div>
      </div>
      <div className="flex-grow-1 position-relative">
        <ChunkBoundary>
          <Suspense
            fallback={
              <div className="d-flex h-100 align-items-center justify-content-center text-secondary" role="status">
                <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />
                {strings.board.loading}
              </div>
            }
          >
            <BoardCanvas
              client={client}
              code={state.meeting.code}
              token={(renew) => client.boardToken(renew)}
              peers={state.peers}
              canEdit={canEdit}
              presenting={moderator && presenting}
              follow={follow}
              onError={tell}
            />
          </Suspense>
        </ChunkBoundary>
      </div>
    </section>
  );
}

/** The More menu's entry for hosts and co-hosts. */
export function whiteboardMenuItem(open: boolean, onToggle: () => void) {
  return {
    id: 'whiteboard',
    label: open ? strings.board.closeForAll : strings.board.openForAll,
    icon: 'bi-easel',
    onSelect: onToggle,
    testId: 'board-toggle',
  };
}

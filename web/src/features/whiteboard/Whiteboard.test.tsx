import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { INITIAL_STATE, type MeetingState } from '../../meeting/roomState';
import type { Role } from '../../signal/protocol';
import type { BoardCanvasProps } from './BoardCanvas';
import { Whiteboard, type WhiteboardClient } from './Whiteboard';

// The real canvas is Excalidraw (a lazy chunk); the stand-in shows what it was given.
vi.mock('./BoardCanvas', () => ({
  default: (props: BoardCanvasProps) => (
    <div
      data-testid="canvas-stub"
      data-can-edit={String(props.canEdit)}
      data-follow={String(props.follow)}
      data-presenting={String(props.presenting)}
    >
      {props.code}
    </div>
  ),
}));

function roomState(role: Role, readOnly = false): MeetingState {
  return {
    ...INITIAL_STATE,
    status: 'joined',
    self: { peerId: 'me', displayName: 'Me', role },
    meeting: {
      code: 'abc-defg-hij',
      title: 'Sync',
      locked: false,
      settings: { waitingRoom: false, guestsAllowed: true, muteOnEntry: false, screenShare: 'everyone' },
    },
    board: { open: true, readOnly, epoch: 'e', seq: 0 },
  };
}

function fakeClient() {
  return {
    boardRequest: vi.fn(),
    onBoardNotification: vi.fn(() => () => undefined),
    subscribe: vi.fn(() => () => undefined),
    getState: vi.fn(),
    boardToken: vi.fn(async () => 'token'),
    setBoardOpen: vi.fn(async () => undefined),
    setBoardReadOnly: vi.fn(async () => undefined),
    showNotice: vi.fn(),
  } satisfies Record<keyof WhiteboardClient, unknown>;
}

describe('Whiteboard', () => {
  it('gives hosts the read-only switch, their view to share and closing for everyone', async () => {
    const client = fakeClient();
    render(<Whiteboard client={client as unknown as WhiteboardClient} state={roomState('host')} />);
    expect(screen.getByRole('region', { name: 'Shared whiteboard' })).toBeInTheDocument();
    const canvas = await screen.findByTestId('canvas-stub');
    expect(canvas).toHaveAttribute('data-can-edit', 'true');
    expect(canvas).toHaveAttribute('data-follow', 'false');
    fireEvent.click(screen.getByRole('switch', { name: 'Read-only' }));
    expect(client.setBoardReadOnly).toHaveBeenCalledWith(true);
    fireEvent.click(screen.getByRole('switch', { name: 'Share my view' }));
    expect(screen.getByTestId('canvas-stub')).toHaveAttribute('data-presenting', 'true');
    expect(screen.queryByRole('switch', { name: 'Follow presenter' })).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /Close whiteboard for everyone/ }));
    expect(client.setBoardOpen).toHaveBeenCalledWith(false);
  });

  it('shows participants a read-only board they follow, without the host controls', async () => {
    const client = fakeClient();
    render(<Whiteboard client={client as unknown as WhiteboardClient} state={roomState('participant', true)} />);
    const canvas = await screen.findByTestId('canvas-stub');
    expect(canvas).toHaveAttribute('data-can-edit', 'false');
    expect(canvas).toHaveAttribute('data-follow', 'true');
    expect(screen.getByTestId('board-read-only')).toHaveTextContent('The host made the whiteboard read-only');
    expect(screen.queryByRole('switch', { name: 'Read-only' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Close whiteboard/ })).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('switch', { name: 'Follow presenter' }));
    expect(screen.getByTestId('canvas-stub')).toHaveAttribute('data-follow', 'false');
  });

  it('lets co-hosts draw on a read-only board and tells a refused change', async () => {
    const client = fakeClient();
    client.setBoardReadOnly.mockRejectedValueOnce(new Error('no'));
    render(<Whiteboard client={client as unknown as WhiteboardClient} state={roomState('cohost', true)} />);
    expect(await screen.findByTestId('canvas-stub')).toHaveAttribute('data-can-edit', 'true');
    fireEvent.click(screen.getByRole('switch', { name: 'Read-only' }));
    await vi.waitFor(() => expect(client.showNotice).toHaveBeenCalledWith('Could not change who may draw'));
  });
});

import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../../signal/protocol';
import { strings } from '../../../i18n/strings';
import { SignalError } from '../../../signal/SignalClient';
import { ChatPanel } from './ChatPanel';

const message = (id: number, peerId: string, text: string, change: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  peerId,
  senderName: peerId === 'me' ? 'Me' : 'Ann',
  text,
  createdAt: '2026-01-01T10:00:00Z',
  editedAt: null,
  deleted: false,
  ...change,
});

const messages = [
  message(1, 'p2', 'hi from **Ann**'),
  message(2, 'me', 'helo'),
  message(3, 'p2', 'fixed', { editedAt: '2026-01-01T10:01:00Z' }),
  message(4, 'p2', '', { deleted: true }),
];

const item = (id: number) => screen.getAllByTestId('chat-message').find((li) => li.dataset.messageId === String(id))!;

function renderPanel(canModerate = false) {
  const onEdit = vi.fn(async () => undefined);
  const onDelete = vi.fn(async () => undefined);
  render(
    <ChatPanel
      messages={messages}
      selfId="me"
      onSend={async () => undefined}
      canModerate={canModerate}
      onEdit={onEdit}
      onDelete={onDelete}
    />,
  );
  return { onEdit, onDelete };
}

describe('ChatPanel', () => {
  // jsdom does not lay out, so it has no scrollIntoView.
  beforeEach(() => {
    Element.prototype.scrollIntoView = () => undefined;
  });

  it('marks edited and deleted messages, keeps the markdown', () => {
    renderPanel();
    expect(within(item(1)).getByText('Ann', { selector: 'strong' })).toBeInTheDocument();
    expect(within(item(3)).getByText('(edited)')).toBeInTheDocument();
    const deleted = within(item(4)).getByText('message deleted');
    expect(deleted).toHaveClass('fst-italic');
  });

  it('offers edit and delete on our own messages only', () => {
    renderPanel();
    expect(within(item(2)).getByRole('button', { name: 'Edit message' })).toBeInTheDocument();
    expect(within(item(2)).getByRole('button', { name: 'Delete message' })).toBeInTheDocument();
    expect(within(item(1)).queryByRole('button')).toBeNull();
    expect(within(item(4)).queryByRole('button')).toBeNull();
  });

  it("lets hosts delete anyone's message, but edit only their own", async () => {
    const { onDelete } = renderPanel(true);
    expect(within(item(1)).queryByRole('button', { name: 'Edit message' })).toBeNull();
    await userEvent.click(within(item(1)).getByRole('button', { name: 'Delete message' }));
    expect(onDelete).toHaveBeenCalledWith(1);
  });

  it('edits inline: Enter saves, Escape cancels', async () => {
    const { onEdit } = renderPanel();
    await userEvent.click(within(item(2)).getByRole('button', { name: 'Edit message' }));
    const box = screen.getByRole('textbox', { name: 'Edit message' });
    expect(box).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).toBeNull();
    expect(onEdit).not.toHaveBeenCalled();

    await userEvent.click(within(item(2)).getByRole('button', { name: 'Edit message' }));
    await userEvent.clear(screen.getByRole('textbox', { name: 'Edit message' }));
    await userEvent.keyboard('hello{Shift>}{Enter}{/Shift}again{Enter}');
    expect(onEdit).toHaveBeenCalledWith(2, 'hello\nagain');
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).toBeNull();
  });

  it('keeps the editor open and says so when saving fails', async () => {
    const onEdit = vi.fn(async () => {
      throw new Error('forbidden');
    });
    render(<ChatPanel messages={messages} selfId="me" onSend={async () => undefined} onEdit={onEdit} onDelete={async () => undefined} />);
    await userEvent.click(within(item(2)).getByRole('button', { name: 'Edit message' }));
    await userEvent.keyboard(' there{Enter}');
    expect(onEdit).toHaveBeenCalledWith(2, 'helo there');
    expect(screen.getByRole('alert')).toHaveTextContent('The change could not be saved.');
    expect(screen.getByRole('textbox', { name: 'Edit message' })).toBeInTheDocument();
  });

  it("shows the server's reason when sending fails and keeps the text", async () => {
    const onSend = vi.fn(async () => {
      throw new SignalError('rate_limited', 'too many chat messages; try again in 4 s');
    });
    render(<ChatPanel messages={messages} selfId="me" onSend={onSend} />);
    const input = screen.getByPlaceholderText(strings.room.chatPlaceholder);
    await userEvent.type(input, 'one more{Enter}');
    expect(onSend).toHaveBeenCalledWith('one more');
    expect(screen.getByRole('alert')).toHaveTextContent('too many chat messages; try again in 4 s');
    expect(input).toHaveValue('one more');
  });
});

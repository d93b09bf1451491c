import { useEffect, useRef, useState, type FormEvent } from 'react';
import { strings } from '../../../i18n/strings';
import type { ChatMessage } from '../../../signal/protocol';
import { ChatText } from '../chat/markdown';

/** The meeting's chat: kept on the server, so late joiners see what was said before. */
export function ChatPanel({
  messages,
  selfId,
  onSend,
}: {
  messages: ChatMessage[];
  selfId: string;
  onSend: (text: string) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    listRef.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages.length]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value || sending) return;
    setSending(true);
    try {
      await onSend(value);
      setText('');
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="side-panel d-flex flex-column h-100" aria-label={strings.room.chat}>
      <h2 className="h6 p-3 m-0 border-bottom">{strings.room.chat}</h2>
      <ol ref={listRef} className="list-unstyled flex-grow-1 overflow-auto p-3 m-0" aria-live="polite" data-testid="chat-messages">
        {messages.length === 0 && <li className="text-secondary small">{strings.room.noMessages}</li>}
        {messages
          .filter((m) => !m.deleted)
          .map((m) => (
            <li key={m.id} className="mb-2">
              <div className="small fw-semibold">
                {m.peerId === selfId ? strings.room.you : m.senderName}{' '}
                <span className="text-secondary fw-normal">
                  {new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
                </span>
              </div>
              <div className="chat-text">
                <ChatText text={m.text} />
              </div>
            </li>
          ))}
      </ol>
      <form className="d-flex gap-2 p-2 border-top" onSubmit={submit}>
        <label className="visually-hidden" htmlFor="chat-input">
          {strings.room.chatPlaceholder}
        </label>
        <input
          id="chat-input"
          className="form-control rounded-pill"
          placeholder={strings.room.chatPlaceholder}
          value={text}
          maxLength={4000}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn btn-primary rounded-circle" aria-label={strings.room.send} disabled={!text.trim() || sending}>
          <i className="bi bi-send-fill" aria-hidden="true" />
        </button>
      </form>
    </section>
  );
}

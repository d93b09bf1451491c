import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { strings } from '../../../i18n/strings';
import type { ChatMessage } from '../../../signal/protocol';
import { SignalError } from '../../../signal/SignalClient';
import { ChatText } from '../chat/markdown';

/** The meeting's chat: kept on the server, so late joiners see what was said before. */
export function ChatPanel({
  messages,
  selfId,
  onSend,
  canModerate = false,
  onEdit,
  onDelete,
}: {
  messages: ChatMessage[];
  selfId: string;
  onSend: (text: string) => Promise<void>;
  /** Hosts and co-hosts may delete anyone's message (the server checks too). */
  canModerate?: boolean;
  onEdit?: (id: number, text: string) => Promise<void>;
  onDelete?: (id: number) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [failure, setFailure] = useState<{ id: number; message: string } | null>(null);
  // Why the last send failed (e.g. the server's "too many chat messages; try again in 4 s"); the
  // text stays in the box so nothing typed is lost.
  const [sendError, setSendError] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    listRef.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages.length]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value || sending) return;
    setSending(true);
    setSendError(null);
    try {
      await onSend(value);
      setText('');
    } catch (error) {
      setSendError(error instanceof SignalError ? error.message : strings.room.sendFailed);
    } finally {
      setSending(false);
    }
  };

  const remove = async (id: number) => {
    setFailure(null);
    try {
      await onDelete?.(id);
      if (editing === id) setEditing(null);
    } catch {
      setFailure({ id, message: strings.room.deleteFailed });
    }
  };

  return (
    <section className="side-panel d-flex flex-column h-100" aria-label={strings.room.chat}>
      <h2 className="h6 p-3 m-0 border-bottom">{strings.room.chat}</h2>
      <ol ref={listRef} className="list-unstyled flex-grow-1 overflow-auto p-3 m-0" aria-live="polite" data-testid="chat-messages">
        {messages.length === 0 && <li className="text-secondary small">{strings.room.noMessages}</li>}
        {messages.map((m) => {
          const mine = m.peerId === selfId;
          const canEdit = mine && !m.deleted && onEdit !== undefined;
          const canDelete = (mine || canModerate) && !m.deleted && onDelete !== undefined;
          return (
            <li key={m.id} className="chat-message mb-2" data-testid="chat-message" data-message-id={m.id}>
              <div className="small fw-semibold d-flex align-items-baseline gap-1">
                <span className="text-truncate">{mine ? strings.room.you : m.senderName}</span>
                <span className="text-secondary fw-normal text-nowrap">
                  {new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
                </span>
                {m.editedAt && !m.deleted && <span className="text-secondary fw-normal">{strings.room.edited}</span>}
                {editing !== m.id && (canEdit || canDelete) && (
                  <span className="chat-actions ms-auto d-flex gap-1">
                    {canEdit && (
                      <button
                        type="button"
                        className="btn btn-sm btn-link text-secondary p-0 px-1"
                        aria-label={strings.room.editMessage}
                        title={strings.room.editMessage}
                        onClick={() => {
                          setFailure(null);
                          setEditing(m.id);
                        }}
                        data-testid="chat-edit"
                      >
                        <i className="bi bi-pencil" aria-hidden="true" />
                      </button>
                    )}
                    {canDelete && (
                      <button
                        type="button"
                        className="btn btn-sm btn-link text-secondary p-0 px-1"
                        aria-label={strings.room.deleteMessage}
                        title={strings.room.deleteMessage}
                        onClick={() => void remove(m.id)}
                        data-testid="chat-delete"
                      >
                        <i className="bi bi-trash" aria-hidden="true" />
                      </button>
                    )}
                  </span>
                )}
              </div>
              {m.deleted ? (
                <div className="fst-italic text-secondary small">{strings.room.messageDeleted}</div>
              ) : editing === m.id && onEdit ? (
                <ChatEditor
                  initial={m.text}
                  onSave={async (value) => {
                    if (value !== m.text) await onEdit(m.id, value);
                    setEditing(null);
                  }}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <div className="chat-text">
                  <ChatText text={m.text} />
                </div>
              )}
              {failure?.id === m.id && (
                <div className="text-danger small" role="alert">
                  {failure.message}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {sendError && (
        <div className="text-danger small px-3 pt-2 border-top" role="alert" data-testid="chat-send-error">
          {sendError}
        </div>
      )}
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

/** Inline editing of one message: Enter saves (Shift+Enter is a new line), Escape cancels. */
function ChatEditor({ initial, onSave, onCancel }: { initial: string; onSave: (text: string) => Promise<void>; onCancel: () => void }) {
  const [value, setValue] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState(false);
  const hintId = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const area = ref.current;
    area?.focus();
    area?.setSelectionRange(area.value.length, area.value.length);
  }, []);

  const save = async () => {
    const text = value.trim();
    if (!text || saving) return;
    setSaving(true);
    setError(false);
    try {
      await onSave(text);
    } catch {
      setError(true);
      setSaving(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void save();
    }
  };

  return (
    <div className="mt-1">
      <textarea
        ref={ref}
        className="form-control form-control-sm"
        aria-label={strings.room.editMessage}
        aria-describedby={hintId}
        rows={2}
        maxLength={4000}
        value={value}
        disabled={saving}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={onKeyDown}
        data-testid="chat-edit-input"
      />
      <div className="d-flex align-items-center gap-2 mt-1">
        <span id={hintId} className="text-secondary small me-auto">
          {strings.room.editHint}
        </span>
        <button type="button" className="btn btn-sm btn-outline-secondary" onClick={onCancel}>
          {strings.common.cancel}
        </button>
        <button type="button" className="btn btn-sm btn-primary" disabled={!value.trim() || saving} onClick={() => void save()}>
          {strings.common.save}
        </button>
      </div>
      {error && (
        <div className="text-danger small" role="alert">
          {strings.room.editFailed}
        </div>
      )}
    </div>
  );
}

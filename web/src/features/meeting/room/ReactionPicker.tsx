import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { strings } from '../../../i18n/strings';
import { REACTION_EMOJIS, type ReactionEmoji } from '../../../meeting/reactions';

/**
 * The reactions button of the control bar and its bar of the protocol's eight emoji. The bar
 * stays open for several reactions in a row; Escape or a click elsewhere closes it. Arrow keys
 * move between the emoji (a toolbar, so one Tab stop).
 */
export function ReactionPicker({ onReact }: { onReact: (emoji: ReactionEmoji) => void }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const barId = useId();

  useEffect(() => {
    if (!open) return;
    rootRef.current?.querySelector<HTMLButtonElement>('[data-emoji]')?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape' && open) {
      event.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
      return;
    }
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const choices = [...(rootRef.current?.querySelectorAll<HTMLButtonElement>('[data-emoji]') ?? [])];
    const at = choices.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    event.preventDefault();
    choices[(at + step + choices.length) % choices.length].focus();
  };

  return (
    // Not positioned itself: the bar is placed against the control bar (styles.css).
    <div ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        className={`btn ${open ? 'btn-light' : 'btn-secondary'} rounded-circle control-button`}
        aria-label={strings.room.reactions}
        title={strings.room.reactions}
        aria-expanded={open}
        aria-controls={open ? barId : undefined}
        onClick={() => setOpen(!open)}
        data-testid="reactions-button"
      >
        <i className="bi bi-emoji-smile" aria-hidden="true" />
      </button>
      {open && (
        <div id={barId} role="toolbar" aria-label={strings.room.reactions} className="reaction-picker bg-dark rounded-4 shadow p-1">
          {REACTION_EMOJIS.map((emoji, index) => (
            <button
              key={emoji}
              type="button"
              className="btn btn-dark reaction-choice rounded-circle"
              aria-label={strings.room.reactionNames[emoji]}
              title={strings.room.reactionNames[emoji]}
              tabIndex={index === 0 ? 0 : -1}
              onClick={() => onReact(emoji)}
              data-emoji={emoji}
              data-testid="reaction-choice"
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

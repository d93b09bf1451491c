import { forwardRef, type ComponentPropsWithoutRef } from 'react';
import Dropdown from 'react-bootstrap/Dropdown';
import { strings } from '../../../i18n/strings';

/** One entry of the More menu; items come from whoever owns the feature (settings, recording, …). */
export interface MoreMenuItem {
  id: string;
  label: string;
  /** A bootstrap-icons class, e.g. "bi-gear". */
  icon: string;
  onSelect: () => void;
  testId?: string;
  disabled?: boolean;
  /** Drawn in red (e.g. "Stop recording"). */
  danger?: boolean;
}

// A round button like the others of the control bar, without Bootstrap's caret.
const RoundToggle = forwardRef<HTMLButtonElement, ComponentPropsWithoutRef<'button'>>(function RoundToggle(
  { className, children, ...props },
  ref,
) {
  return (
    <button ref={ref} type="button" className={`btn btn-secondary rounded-circle control-button ${className ?? ''}`} {...props}>
      {children}
    </button>
  );
});

/**
 * "More options" (three dots) in the control bar: opens upwards, reachable by keyboard (Enter or
 * Space opens it, arrows move, Escape closes and gives focus back to the button).
 */
export function MoreMenu({ items }: { items: MoreMenuItem[] }) {
  if (items.length === 0) return null;
  return (
    <Dropdown drop="up" align="end">
      <Dropdown.Toggle
        as={RoundToggle}
        bsPrefix="more-toggle"
        aria-label={strings.roomMedia.more}
        title={strings.roomMedia.more}
        data-testid="more-menu"
      >
        <i className="bi bi-three-dots-vertical" aria-hidden="true" />
      </Dropdown.Toggle>
      <Dropdown.Menu>
        {items.map((item) => (
          <Dropdown.Item
            key={item.id}
            as="button"
            type="button"
            onClick={item.onSelect}
            disabled={item.disabled}
            className={item.danger ? 'text-danger' : undefined}
            data-testid={item.testId}
          >
            <i className={`bi ${item.icon} me-2`} aria-hidden="true" />
            {item.label}
          </Dropdown.Item>
        ))}
      </Dropdown.Menu>
    </Dropdown>
  );
}

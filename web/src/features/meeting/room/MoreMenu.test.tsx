import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { MoreMenu } from './MoreMenu';

describe('MoreMenu', () => {
  it('opens from the keyboard, lists the items and runs the chosen one', async () => {
    const user = userEvent.setup();
    const settings = vi.fn();
    const record = vi.fn();
    render(
      <MoreMenu
        items={[
          { id: 'settings', label: 'Settings', icon: 'bi-gear', onSelect: settings, testId: 'device-settings-open' },
          { id: 'record', label: 'Record (on this device)', icon: 'bi-record-circle', onSelect: record, testId: 'record-start' },
        ]}
      />,
    );
    const toggle = screen.getByRole('button', { name: 'More options' });
    expect(toggle).toHaveAttribute('data-testid', 'more-menu');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle.className).not.toMatch(/dropdown-toggle/); // a round button without a caret
    toggle.focus();
    await user.keyboard('{Enter}');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await user.click(screen.getByTestId('record-start'));
    expect(record).toHaveBeenCalledTimes(1);
    expect(settings).not.toHaveBeenCalled();
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
  });

  it('shows nothing without items and honours disabled ones', async () => {
    const { container, rerender } = render(<MoreMenu items={[]} />);
    expect(container).toBeEmptyDOMElement();
    const onSelect = vi.fn();
    rerender(<MoreMenu items={[{ id: 'x', label: 'Stop recording', icon: 'bi-stop', onSelect, disabled: true, danger: true }]} />);
    await userEvent.click(screen.getByTestId('more-menu'));
    const item = screen.getByRole('button', { name: 'Stop recording' });
    expect(item).toHaveAttribute('aria-disabled', 'true');
    expect(item).toHaveClass('text-danger');
    await userEvent.click(item);
    expect(onSelect).not.toHaveBeenCalled();
  });
});

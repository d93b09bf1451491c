import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ReactionPicker } from './ReactionPicker';

describe('ReactionPicker', () => {
  it('opens a bar of the eight emoji and reacts with the chosen one', async () => {
    const onReact = vi.fn();
    render(<ReactionPicker onReact={onReact} />);
    const button = screen.getByRole('button', { name: 'Reactions' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    const bar = screen.getByRole('toolbar', { name: 'Reactions' });
    expect(screen.getAllByTestId('reaction-choice').map((b) => b.textContent)).toEqual(['👍', '👏', '😂', '❤️', '🎉', '😮', '🤔', '🙌']);
    await userEvent.click(screen.getByRole('button', { name: 'Party' }));
    expect(onReact).toHaveBeenCalledWith('🎉');
    expect(bar).toBeInTheDocument(); // stays open for the next one
  });

  it('works from the keyboard: focus moves in, arrows move along, Escape closes', async () => {
    const onReact = vi.fn();
    render(<ReactionPicker onReact={onReact} />);
    screen.getByRole('button', { name: 'Reactions' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByRole('button', { name: 'Thumbs up' })).toHaveFocus();
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    expect(screen.getByRole('button', { name: 'Laughing' })).toHaveFocus();
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}{ArrowLeft}');
    expect(screen.getByRole('button', { name: 'Celebrating' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(onReact).toHaveBeenCalledWith('🙌');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('toolbar')).toBeNull();
    expect(screen.getByRole('button', { name: 'Reactions' })).toHaveFocus();
  });

  it('closes on a click elsewhere', async () => {
    render(
      <>
        <ReactionPicker onReact={() => undefined} />
        <p>elsewhere</p>
      </>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Reactions' }));
    fireEvent.pointerDown(screen.getByText('elsewhere'));
    expect(screen.queryByRole('toolbar')).toBeNull();
  });
});

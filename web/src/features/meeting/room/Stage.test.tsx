import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { lastVisibility, roomOf } from '../../../test/stageFixtures';
import { Stage } from './Stage';

const tileNames = () => screen.getAllByTestId('video-tile').map((t) => t.getAttribute('aria-label'));

// jsdom's window is 1024 x 768: 3x3 grid pages, 5 tiles in a strip.
describe('Stage', () => {
  it('pages the grid and stops the video of the people off the page', () => {
    const client = { setVideoVisibility: vi.fn(async () => undefined) };
    render(<Stage state={roomOf(12)} client={client} mode="grid" reactions={[]} sideWidth={0} />);
    expect(tileNames()).toEqual(['Me (you)', ...Array.from({ length: 8 }, (_, i) => `Peer ${i + 1}`)]);
    expect(screen.getByTestId('page-label')).toHaveTextContent('Page 1 of 2');
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();
    const first = lastVisibility(client.setVideoVisibility);
    expect(first).toMatchObject({ c1: 'small', c8: 'small', c9: 'hidden', c12: 'hidden' });

    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(tileNames()).toEqual(['Peer 9', 'Peer 10', 'Peer 11', 'Peer 12']);
    expect(screen.getByTestId('page-label')).toHaveTextContent('Page 2 of 2');
    expect(lastVisibility(client.setVideoVisibility)).toMatchObject({ c1: 'hidden', c8: 'hidden', c9: 'small', c12: 'small' });
    // Each consumer is told once per change, not on every render.
    expect(client.setVideoVisibility).toHaveBeenCalledTimes(12 + 12);
  });

  it('has no pager when everyone fits, and asks for the large layer for one other person', () => {
    const client = { setVideoVisibility: vi.fn(async () => undefined) };
    render(<Stage state={roomOf(1)} client={client} mode="grid" reactions={[]} sideWidth={0} />);
    expect(screen.queryByTestId('page-label')).toBeNull();
    expect(client.setVideoVisibility).toHaveBeenCalledWith('c1', true, true);
  });

  it('pins a tile large above a strip of the others, and unpins it', () => {
    const client = { setVideoVisibility: vi.fn(async () => undefined) };
    render(<Stage state={roomOf(3)} client={client} mode="grid" reactions={[]} sideWidth={0} />);
    fireEvent.click(screen.getByRole('button', { name: 'Pin Peer 2' }));
    const pinned = screen.getByRole('button', { name: 'Unpin Peer 2' });
    expect(pinned).toHaveAttribute('aria-pressed', 'true');
    expect(pinned).toHaveFocus(); // the tile moved to the stage; the keyboard focus went with it
    expect(pinned.closest('.screen-stage')).not.toBeNull();
    expect(lastVisibility(client.setVideoVisibility)).toMatchObject({ c2: 'large', c1: 'small' });
    fireEvent.click(pinned);
    const unpinned = screen.getByRole('button', { name: 'Pin Peer 2' });
    expect(unpinned.closest('.screen-stage')).toBeNull();
    expect(unpinned).toHaveFocus();
  });

  it('shows the active speaker large in speaker view, and keeps them there through silence', () => {
    const client = { setVideoVisibility: vi.fn(async () => undefined) };
    const { rerender } = render(
      <Stage state={roomOf(3, { activeSpeaker: 'p3' })} client={client} mode="speaker" reactions={[]} sideWidth={0} />,
    );
    const stage = () => screen.getByTestId('stage').querySelector('.screen-stage figure')?.getAttribute('aria-label');
    expect(stage()).toBe('Peer 3');
    rerender(<Stage state={roomOf(3, { activeSpeaker: null })} client={client} mode="speaker" reactions={[]} sideWidth={0} />);
    expect(stage()).toBe('Peer 3');
    rerender(<Stage state={roomOf(3, { activeSpeaker: 'me' })} client={client} mode="speaker" reactions={[]} sideWidth={0} />);
    expect(stage()).toBe('Peer 3');
    expect(screen.getByTestId('stage')).toHaveAttribute('data-layout', 'speaker');
  });

  it('floats reactions over the person who sent them', () => {
    const client = { setVideoVisibility: vi.fn(async () => undefined) };
    const reactions = [
      { id: 1, peerId: 'p1', emoji: '🎉' },
      { id: 2, peerId: 'me', emoji: '👍' },
    ];
    render(<Stage state={roomOf(2)} client={client} mode="grid" reactions={reactions} sideWidth={0} />);
    const tile = screen.getByRole('figure', { name: 'Peer 1' });
    expect(within(tile).getByRole('img', { name: 'Peer 1 reacted 🎉' })).toHaveTextContent('🎉');
    expect(within(screen.getByRole('figure', { name: 'Me (you)' })).getByTestId('reaction')).toHaveTextContent('👍');
    expect(within(screen.getByRole('figure', { name: 'Peer 2' })).queryByTestId('reaction')).toBeNull();
  });

  it('shows the reactions of people on another page in a corner, with their name', () => {
    const reactions = [{ id: 1, peerId: 'p11', emoji: '👏' }];
    render(
      <Stage
        state={roomOf(12)}
        client={{ setVideoVisibility: vi.fn(async () => undefined) }}
        mode="grid"
        reactions={reactions}
        sideWidth={0}
      />,
    );
    const corner = screen.getByTestId('offstage-reactions');
    expect(within(corner).getByRole('img', { name: 'Peer 11 reacted 👏' })).toBeInTheDocument();
    expect(corner).toHaveTextContent('👏 Peer 11');
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(within(screen.getByTestId('offstage-reactions')).queryByRole('img')).toBeNull();
    expect(within(screen.getByRole('figure', { name: 'Peer 11' })).getByTestId('reaction')).toHaveTextContent('👏');
  });

  it('offers no pin when alone', () => {
    render(<Stage state={roomOf(0)} client={{ setVideoVisibility: vi.fn() }} mode="grid" reactions={[]} sideWidth={0} />);
    expect(screen.queryByTestId('tile-pin')).toBeNull();
  });
});

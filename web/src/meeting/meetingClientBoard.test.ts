import { describe, expect, it } from 'vitest';
import { strings } from '../i18n/strings';
import { INITIAL_STATE, isBoardInfo, reduceNotification, type MeetingState } from './roomState';

const joined: MeetingState = { ...INITIAL_STATE, status: 'joined', board: { open: false, readOnly: false, epoch: 'e1', seq: 3 } };

describe('board state in the room', () => {
  it('follows board.opened, board.closed and board.readOnly', () => {
    const opened = { ...joined, ...reduceNotification(joined, 'board.opened', { by: 'p2' }, false)!.change };
    expect(opened.board).toEqual({ open: true, readOnly: false, epoch: 'e1', seq: 3 });
    const locked = { ...opened, ...reduceNotification(opened, 'board.readOnly', { readOnly: true, by: 'p2' }, false)!.change };
    expect(locked.board?.readOnly).toBe(true);
    const closed = { ...locked, ...reduceNotification(locked, 'board.closed', { by: 'p2' }, false)!.change };
    expect(closed.board).toEqual({ open: false, readOnly: true, epoch: 'e1', seq: 3 });
    expect(reduceNotification(joined, 'board.readOnly', { readOnly: 'yes' }, false)!.change).toBeNull();
  });

  it('leaves engine notifications to the board', () => {
    expect(reduceNotification(joined, 'board.elements', { elements: [] }, false)).toBeNull();
    expect(reduceNotification(joined, 'board.cursor', { x: 1, y: 2 }, false)).toBeNull();
  });

  it('recognises the snapshot board', () => {
    expect(isBoardInfo({ open: true, readOnly: false, epoch: 'e', seq: 0 })).toBe(true);
    expect(isBoardInfo({ open: true })).toBe(false);
    expect(isBoardInfo(undefined)).toBe(false);
    expect(strings.board.title).toBe('Whiteboard');
  });
});

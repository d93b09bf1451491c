/**
 * Binds a BoardSync engine to the meeting's connection: board.* notifications go to the engine,
 * and after a reconnection (the same peer resumed, or a fresh join) it resyncs from where it was.
 */
import type { MeetingClient, MeetingState } from '../../meeting/MeetingClient';
import { BoardSync, type BoardSyncEvents, type BoardSyncOptions } from './BoardSync';

export type BoardMeetingLink = Pick<MeetingClient, 'boardRequest' | 'onBoardNotification' | 'subscribe' | 'getState'>;

export class BoardSession {
  readonly engine: BoardSync;
  private readonly unsubscribe: (() => void)[] = [];
  private resyncTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly client: BoardMeetingLink,
    events: BoardSyncEvents,
    options: Omit<BoardSyncOptions, 'transport' | 'events'> = {},
  ) {
    this.engine = new BoardSync({
      ...options,
      transport: { request: (method, data) => client.boardRequest(method, data) },
      events,
    });
    this.unsubscribe.push(client.onBoardNotification((method, data) => void this.engine.handleNotification(method, data)));
    let last: MeetingState = client.getState();
    this.unsubscribe.push(
      client.subscribe(() => {
        const state = client.getState();
        const resumed = last.connection !== 'open' && state.connection === 'open';
        const rejoined = state.self?.peerId !== undefined && state.self.peerId !== last.self?.peerId && last.self !== null;
        last = state;
        if ((resumed || rejoined) && state.status === 'joined') this.scheduleResync();
      }),
    );
  }

  start(): Promise<void> {
    return this.engine.start();
  }

  // Later, not at once: when the server could not resume us, the room joins again in the same
  // turn, and a board.sync sent before that join would be refused.
  private scheduleResync(): void {
    if (this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      if (this.client.getState().connection === 'open') void this.engine.resync();
    }, 0);
  }

  dispose(): void {
    for (const stop of this.unsubscribe) stop();
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.engine.dispose();
  }
}

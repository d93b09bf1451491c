// Whether the browser is online and whether our server answers, for the offline banner. The REST
// client reports each request's fate here; the browser's online/offline events do the rest.

export interface ConnectivityState {
  online: boolean;
  serverReachable: boolean;
}

type Listener = () => void;

export class Connectivity {
  private state: ConnectivityState;
  private readonly listeners = new Set<Listener>();

  constructor(online = typeof navigator === 'undefined' ? true : navigator.onLine) {
    this.state = { online, serverReachable: true };
  }

  getState = (): ConnectivityState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  setOnline(online: boolean): void {
    this.set({ online });
  }

  /** A request got an answer (any status): the server is there. */
  reportReachable(): void {
    this.set({ serverReachable: true, online: true });
  }

  /** A request failed at the network level (no answer at all). */
  reportUnreachable(): void {
    this.set({ serverReachable: false });
  }

  /** Follows the browser's online/offline events; returns the unsubscribe. */
  watch(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
    const online = () => this.setOnline(true);
    const offline = () => this.setOnline(false);
    target.addEventListener('online', online);
    target.addEventListener('offline', offline);
    return () => {
      target.removeEventListener('online', online);
      target.removeEventListener('offline', offline);
    };
  }

  private set(patch: Partial<ConnectivityState>): void {
    const next = { ...this.state, ...patch };
    if (next.online === this.state.online && next.serverReachable === this.state.serverReachable) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

export const connectivity = new Connectivity();

// The service worker's life as the page sees it: registered once at start-up (production only),
// and "a new version is waiting" kept in a tiny store that the update toast subscribes to.

export interface RegisterOptions {
  onNeedRefresh: () => void;
  onOfflineReady: () => void;
  onRegisterError: (error: unknown) => void;
}

/** Registers the worker; the returned function activates a waiting worker and reloads the page. */
export type RegisterFn = (options: RegisterOptions) => (reloadPage?: boolean) => Promise<void>;

export interface UpdateState {
  needRefresh: boolean;
  offlineReady: boolean;
}

type Listener = (state: UpdateState) => void;

export class UpdateStore {
  private state: UpdateState = { needRefresh: false, offlineReady: false };
  private readonly listeners = new Set<Listener>();
  private updateSW: ((reloadPage?: boolean) => Promise<void>) | null = null;

  getState = (): UpdateState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(register: RegisterFn): void {
    if (this.updateSW) return;
    this.updateSW = register({
      onNeedRefresh: () => this.set({ needRefresh: true }),
      onOfflineReady: () => this.set({ offlineReady: true }),
      // No worker means no offline use and no push, but the app itself works: log, do not alarm.
      onRegisterError: (error) => console.warn('Service worker registration failed', error),
    });
  }

  /** Tells the waiting worker to take over; the page reloads when it controls the page. */
  async reload(): Promise<void> {
    await this.updateSW?.(true);
  }

  dismiss(): void {
    this.set({ needRefresh: false, offlineReady: false });
  }

  private set(patch: Partial<UpdateState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}

export const updates = new UpdateStore();

/** Called from main.tsx in production builds; the register code loads after the first paint. */
export async function startServiceWorker(store: UpdateStore = updates): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const { registerSW } = await import('virtual:pwa-register');
  store.start((options) => registerSW({ immediate: true, ...options }));
}

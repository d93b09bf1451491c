import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ApiClient } from '../../../api/client';
import { errorMessage } from '../../../api/errors';
import { isRecordingBusy, listRecordings, type Recording } from '../../../api/recordings';

export const POLL_MS = 3000;

export interface RecordingsState {
  items: Recording[];
  loading: boolean;
  error: string | null;
  /** Takes a deleted recording out of the list without waiting for the next load. */
  remove: (id: number) => void;
  reload: () => void;
}

/**
 * A meeting's recordings. While any is still recording or composing the list is fetched again
 * every `pollMs` (one request at a time: the next is timed from the previous answer), and polling
 * stops once none is, or when the component goes away.
 */
export function useRecordings(code: string, client: ApiClient = api, pollMs: number = POLL_MS): RecordingsState {
  const [items, setItems] = useState<Recording[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  // Ids deleted here: a poll that was already on its way must not bring them back.
  const removed = useRef(new Set<number>());

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Whether the last list that arrived had something still changing; a failed poll is tried
    // again on the same schedule while it had.
    let busy = false;
    const load = async () => {
      try {
        const list = (await listRecordings(code, client)).filter((r) => !removed.current.has(r.id));
        if (!alive) return;
        setItems(list);
        setError(null);
        busy = list.some(isRecordingBusy);
      } catch (err) {
        if (!alive) return;
        setError(errorMessage(err));
      }
      setLoading(false);
      if (busy) timer = setTimeout(() => void load(), pollMs);
    };
    setLoading(true);
    void load();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [code, client, pollMs, generation]);

  const remove = useCallback((id: number) => {
    removed.current.add(id);
    setItems((list) => list.filter((r) => r.id !== id));
  }, []);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  return { items, loading, error, remove, reload };
}

import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../api/errors';
import { listMeetings } from '../../api/meetings';
import type { Meeting, MeetingScope } from '../../api/types';
import { strings } from '../../i18n/strings';
import { FormAlert } from '../../ui/FormField';
import { PageLoader } from '../../ui/PageLoader';
import { MeetingCard } from './MeetingCard';

/** One tab of the meetings page: a cursor-paged list with "Load more". */
export function MeetingList({
  scope,
  onDelete,
  removed,
}: {
  scope: MeetingScope;
  onDelete: (m: Meeting) => void;
  removed: ReadonlySet<string>;
}) {
  const [items, setItems] = useState<Meeting[]>([]);
  const [cursor, setCursor] = useState('');
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (from: string) => {
      setLoading(true);
      setError(null);
      try {
        const page = await listMeetings(scope, from);
        setItems((prev) => (from ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (err) {
        setError(errorMessage(err));
      } finally {
        setLoading(false);
      }
    },
    [scope],
  );

  useEffect(() => {
    void load('');
  }, [load]);

  const visible = items.filter((m) => !removed.has(m.code));
  const past = scope === 'past';

  return (
    <div className="pt-3">
      <FormAlert message={error} />
      {visible.length > 0 && (
        <ul className="list-unstyled mb-0">
          {visible.map((m) => (
            <MeetingCard key={m.code} meeting={m} past={past} onDelete={onDelete} />
          ))}
        </ul>
      )}
      {!loading && !error && visible.length === 0 && (
        <div className="text-center text-secondary py-5">
          <i className="bi bi-calendar-x display-6 d-block mb-2" aria-hidden="true" />
          {past ? strings.meetings.emptyPast : strings.meetings.emptyUpcoming}
        </div>
      )}
      {loading && <PageLoader />}
      {!loading && (cursor || error) && (
        <div className="text-center">
          <button
            type="button"
            className="btn btn-outline-primary rounded-pill px-4"
            onClick={() => void load(error && !items.length ? '' : cursor)}
          >
            {error ? strings.common.retry : strings.meetings.loadMore}
          </button>
        </div>
      )}
    </div>
  );
}

import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import type { Session } from '../../api/types';
import { listSessions, revokeOtherSessions, revokeSession } from '../../api/users';
import { strings } from '../../i18n/strings';
import { FormAlert } from '../../ui/FormField';
import { describeUserAgent, formatDateTime } from '../../ui/format';
import { PageLoader } from '../../ui/PageLoader';
import { useToast } from '../../ui/Toasts';
import { useAsync } from '../../ui/useAsync';

export function SessionList() {
  const { data, error, loading, setData } = useAsync(listSessions, []);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const toast = useToast();

  const run = async (key: string, action: () => Promise<void>, keep: (s: Session) => boolean, message: string) => {
    setBusy(key);
    setActionError(null);
    try {
      await action();
      setData((data ?? []).filter(keep));
      toast.show(message);
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  if (loading) return <PageLoader />;
  if (error || !data) return <FormAlert message={errorMessage(error)} />;
  const others = data.filter((s) => !s.current);

  return (
    <>
      <FormAlert message={actionError} />
      <ul className="list-group mb-3">
        {data.map((s) => {
          const name = describeUserAgent(s.userAgent) ?? strings.profile.unknownDevice;
          return (
            <li key={s.id} className="list-group-item d-flex flex-wrap align-items-center gap-3 py-3">
              <i
                className={`bi ${/Android|iPhone|iPad|Mobile/.test(s.userAgent) ? 'bi-phone' : 'bi-laptop'} fs-4 text-secondary`}
                aria-hidden="true"
              />
              <div className="flex-fill-shrink">
                <div className="fw-medium">
                  {name}
                  {s.current && <span className="badge text-bg-primary ms-2">{strings.profile.thisDevice}</span>}
                </div>
                <div className="small text-secondary">
                  {[s.ip, strings.profile.lastActive(formatDateTime(s.lastSeenAt)), strings.profile.signedInAt(formatDateTime(s.createdAt))]
                    .filter(Boolean)
                    .join(' · ')}
                </div>
              </div>
              {!s.current && (
                <button
                  type="button"
                  className="btn btn-sm btn-outline-danger rounded-pill"
                  disabled={busy !== null}
                  aria-label={strings.profile.signOutDeviceLabel(name)}
                  onClick={() =>
                    void run(
                      s.id,
                      () => revokeSession(s.id),
                      (x) => x.id !== s.id,
                      strings.profile.signedOutDevice,
                    )
                  }
                >
                  {busy === s.id && <span className="spinner-border spinner-border-sm me-1" aria-hidden="true" />}
                  {strings.profile.signOutDevice}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {others.length > 0 ? (
        <button
          type="button"
          className="btn btn-outline-danger rounded-pill"
          disabled={busy !== null}
          onClick={() => void run('*', revokeOtherSessions, (x) => x.current, strings.profile.signedOutEverywhere)}
        >
          {busy === '*' && <span className="spinner-border spinner-border-sm me-1" aria-hidden="true" />}
          {strings.profile.signOutEverywhere}
        </button>
      ) : (
        <p className="small text-secondary mb-0">{strings.profile.noOtherSessions}</p>
      )}
    </>
  );
}

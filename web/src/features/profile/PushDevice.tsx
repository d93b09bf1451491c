import { useEffect, useId, useMemo, useState } from 'react';
import { api, type ApiClient } from '../../api/client';
import { ApiError, errorMessage } from '../../api/errors';
import { sendTestPush } from '../../api/push';
import { strings } from '../../i18n/strings';
import {
  browserPushEnvironment,
  currentSubscription,
  disablePush,
  enablePush,
  PushSetupError,
  pushSupport,
  type PushEnvironment,
} from '../../pwa/push';
import { FormAlert } from '../../ui/FormField';
import { useToast } from '../../ui/Toasts';

function describeError(err: unknown): string {
  if (err instanceof PushSetupError) {
    return err.code === 'bad-key'
      ? strings.notifications.badKey
      : err.code === 'no-worker'
        ? strings.notifications.noWorker
        : strings.notifications.subscribeFailed;
  }
  if (err instanceof ApiError) return errorMessage(err);
  // DOMException from PushManager.subscribe (AbortError, NotAllowedError, InvalidStateError).
  return strings.notifications.subscribeFailed;
}

/** Push on this device: explains when it cannot work, else a switch and a test button. */
export function PushDevice({ env: given, client = api }: { env?: PushEnvironment; client?: ApiClient }) {
  const env = useMemo(() => given ?? browserPushEnvironment(), [given]);
  const support = pushSupport(env);
  const [permission, setPermission] = useState<NotificationPermission>(env.notification?.permission ?? 'default');
  const [subscribed, setSubscribed] = useState<boolean | null>(null);
  const [busy, setBusy] = useState<'toggle' | 'test' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const toast = useToast();
  const id = useId();

  useEffect(() => {
    if (support !== 'supported') return;
    let current = true;
    currentSubscription(env).then(
      (s) => current && setSubscribed(s !== null),
      () => current && setSubscribed(false),
    );
    return () => {
      current = false;
    };
  }, [env, support]);

  if (support === 'needs-install') return <FormAlert variant="info" message={strings.notifications.iosInstall} />;
  if (support === 'unsupported') return <FormAlert variant="info" message={strings.notifications.unsupported} />;

  const toggle = async (on: boolean) => {
    setBusy('toggle');
    setError(null);
    setInfo(null);
    try {
      if (on) {
        const result = await enablePush(env, client);
        if (result === 'enabled') {
          setSubscribed(true);
          toast.show(strings.notifications.enabled);
        } else if (result === 'denied') {
          setPermission('denied');
        } else {
          setInfo(strings.notifications.dismissed);
        }
      } else {
        await disablePush(env, client);
        setSubscribed(false);
        toast.show(strings.notifications.disabled, 'info');
      }
    } catch (err) {
      setError(describeError(err));
      if (!on) setSubscribed((await currentSubscription(env).catch(() => null)) !== null);
    } finally {
      setBusy(null);
    }
  };

  const test = async () => {
    setBusy('test');
    setError(null);
    try {
      await sendTestPush(client);
      toast.show(strings.notifications.testSent);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  if (permission === 'denied') {
    return (
      <div className="alert alert-warning py-2" role="status" data-testid="push-denied">
        <i className="bi bi-bell-slash me-2" aria-hidden="true" />
        {strings.notifications.denied}
      </div>
    );
  }

  return (
    <div data-testid="push-device">
      <FormAlert message={error} />
      <FormAlert variant="info" message={info} />
      <div className="form-check form-switch mb-1">
        <input
          id={id}
          className="form-check-input"
          type="checkbox"
          role="switch"
          checked={subscribed === true}
          disabled={subscribed === null || busy !== null}
          onChange={(e) => void toggle(e.target.checked)}
        />
        <label className="form-check-label fw-medium" htmlFor={id}>
          {strings.notifications.device}
          {busy === 'toggle' && <span className="spinner-border spinner-border-sm ms-2" aria-hidden="true" />}
        </label>
      </div>
      <p className="small text-secondary mb-3">{strings.notifications.deviceHelp}</p>
      <button
        type="button"
        className="btn btn-outline-primary rounded-pill"
        disabled={busy !== null || subscribed !== true}
        title={subscribed ? undefined : strings.notifications.testNeedsDevice}
        onClick={() => void test()}
      >
        {busy === 'test' ? (
          <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />
        ) : (
          <i className="bi bi-bell me-2" aria-hidden="true" />
        )}
        {strings.notifications.test}
      </button>
    </div>
  );
}

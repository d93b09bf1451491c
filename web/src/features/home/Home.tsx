import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { createMeeting, inviteByEmail } from '../../api/meetings';
import type { Meeting } from '../../api/types';
import { strings } from '../../i18n/strings';
import { useToast } from '../../ui/Toasts';
import { MeetingSummary } from '../meetings/MeetingSummary';
import { useSession } from '../auth/session';
import { JoinForm } from './JoinForm';
import { ScheduleForm } from './ScheduleForm';
import { browserTimeZone, emptySchedule, toMeetingInput } from './scheduleValidation';

export default function Home() {
  const { user } = useSession();
  const navigate = useNavigate();
  const toast = useToast();
  const [starting, setStarting] = useState(false);
  const [scheduled, setScheduled] = useState<Meeting | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [params, setParams] = useSearchParams();
  const shortcutUsed = useRef(false);

  const startInstant = async () => {
    setStarting(true);
    try {
      const meeting = await createMeeting({ title: strings.home.instantTitle, kind: 'instant', timeZone: browserTimeZone() });
      toast.show(strings.home.created);
      navigate(`/m/${meeting.code}`);
    } catch (err) {
      toast.show(errorMessage(err), 'danger');
      setStarting(false);
    }
  };

  // The installed app's "New meeting" shortcut opens /?new=1: start one at once, exactly once.
  useEffect(() => {
    if (params.get('new') !== '1' || shortcutUsed.current) return;
    shortcutUsed.current = true;
    setParams({}, { replace: true });
    void startInstant();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params]);

  return (
    <div className="container py-4 py-md-5">
      {/* A gutter wider than the container padding (gx-5) would stick out sideways on phones. */}
      <div className="row gx-4 gx-sm-5 gy-5 align-items-start">
        <section className="col-lg-6" aria-labelledby="home-title">
          {user && <p className="text-secondary mb-2">{strings.home.greeting(user.username)}</p>}
          <h1 id="home-title" className="hero-title mb-3">
            {strings.home.headline}
          </h1>
          <p className="hero-lead mb-4">{strings.home.lead}</p>
          <div className="join-row">
            <button type="button" className="btn btn-primary btn-pill-lg" onClick={() => void startInstant()} disabled={starting}>
              {starting ? (
                <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />
              ) : (
                <i className="bi bi-camera-video-fill me-2" aria-hidden="true" />
              )}
              {starting ? strings.home.starting : strings.home.newMeeting}
            </button>
            <JoinForm />
          </div>
        </section>
        <section className="col-lg-6" aria-labelledby="schedule-title">
          <div className="section-card p-4 bg-body">
            <h2 id="schedule-title" className="h5 mb-1">
              <i className="bi bi-calendar-plus me-2 text-primary" aria-hidden="true" />
              {strings.home.scheduleTitle}
            </h2>
            <p className="text-secondary small mb-3">{strings.home.scheduleLead}</p>
            {scheduled ? (
              <MeetingSummary
                meeting={scheduled}
                onDone={() => {
                  setScheduled(null);
                  setFormKey((k) => k + 1);
                }}
              />
            ) : (
              <ScheduleForm
                key={formKey}
                initial={emptySchedule()}
                invite
                onSubmit={async (values, invitees) => {
                  const meeting = await createMeeting(toMeetingInput(values));
                  // The meeting exists now, whatever happens to the invitations: never create it twice.
                  let invited = true;
                  if (invitees.length > 0)
                    invited = await inviteByEmail(meeting.code, invitees).then(
                      () => true,
                      () => false,
                    );
                  toast.show(invited ? strings.home.scheduled : strings.invitations.scheduledButNotInvited, invited ? undefined : 'danger');
                  setScheduled(meeting);
                }}
              />
            )}
          </div>
        </section>
      </div>
    </div>
  );
}

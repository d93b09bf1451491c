import { useNavigate, useParams } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api/errors';
import { getMeeting, updateMeeting } from '../../api/meetings';
import { strings } from '../../i18n/strings';
import { FormAlert } from '../../ui/FormField';
import { PageLoader } from '../../ui/PageLoader';
import { useToast } from '../../ui/Toasts';
import { useAsync } from '../../ui/useAsync';
import { ScheduleForm } from '../home/ScheduleForm';
import { scheduleFromMeeting, toMeetingPatch } from '../home/scheduleValidation';
import { ManageInvitations } from './Invitations';

export default function EditMeeting() {
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const toast = useToast();
  const { data: meeting, error, loading } = useAsync(() => getMeeting(code), [code]);

  if (loading) return <PageLoader />;
  const loadError = error ?? (meeting && !meeting.isHost ? new ApiError(403, 'forbidden', strings.errors.forbidden) : null);
  if (loadError || !meeting) {
    return (
      <div className="container py-4" style={{ maxWidth: 640 }}>
        <FormAlert message={errorMessage(loadError)} />
      </div>
    );
  }

  const initial = scheduleFromMeeting(meeting);
  return (
    <div className="container py-4" style={{ maxWidth: 640 }}>
      <h1 className="h3 mb-3">{strings.meetings.editTitle}</h1>
      <div className="section-card p-4">
        <ScheduleForm
          initial={initial}
          allowUnchangedStart
          submitLabel={strings.schedule.saveChanges}
          onCancel={() => navigate('/meetings')}
          onSubmit={async (values) => {
            await updateMeeting(code, toMeetingPatch(values, initial, meeting));
            toast.show(strings.meetings.updated);
            navigate('/meetings');
          }}
        />
      </div>
      {/* Invitations change at once (not with "Save changes"): each one may send an email. */}
      <div className="section-card p-4 mt-3">
        <ManageInvitations code={code} />
      </div>
    </div>
  );
}

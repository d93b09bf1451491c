import { Link, useParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { getHistory } from '../../api/meetings';
import { strings } from '../../i18n/strings';
import { FormAlert } from '../../ui/FormField';
import { formatDateTime, formatDuration } from '../../ui/format';
import { PageLoader } from '../../ui/PageLoader';
import { useAsync } from '../../ui/useAsync';
import { RecordingList } from './recordings/RecordingList';
import { BoardHistory } from '../whiteboard/BoardHistory';

export default function MeetingHistory() {
  const { code = '' } = useParams();
  const { data, error, loading } = useAsync(() => getHistory(code), [code]);

  return (
    <div className="container py-4" style={{ maxWidth: 860 }}>
      <Link to="/meetings?tab=past" className="small d-inline-block mb-3">
        <i className="bi bi-arrow-left me-1" aria-hidden="true" />
        {strings.common.back}
      </Link>
      {loading && <PageLoader />}
      {!loading && (error || !data) && <FormAlert message={errorMessage(error)} />}
      {data && (
        <>
          <h1 className="h3 mb-1">{data.meeting.title}</h1>
          <p className="text-secondary meeting-code mb-4">{data.meeting.code}</p>
          <dl className="row g-3 mb-4">
            {[
              [strings.history.started, formatDateTime(data.meeting.startedAt) || '—'],
              [strings.history.ended, formatDateTime(data.meeting.endedAt) || '—'],
              [strings.history.duration, formatDuration(data.durationSeconds)],
              [strings.history.chatMessages, String(data.chatCount)],
            ].map(([label, value]) => (
              <div className="col-6 col-md-3" key={label}>
                <div className="section-card p-3 h-100">
                  <dt className="small text-secondary fw-normal">{label}</dt>
                  <dd className="mb-0 fw-medium">{value}</dd>
                </div>
              </div>
            ))}
          </dl>
          <h2 className="h5">{strings.history.participants}</h2>
          {data.participants.length === 0 ? (
            <p className="text-secondary">{strings.history.noParticipants}</p>
          ) : (
            <div className="table-responsive">
              <table className="table align-middle">
                <thead>
                  <tr>
                    <th scope="col">{strings.history.name}</th>
                    <th scope="col">{strings.history.role}</th>
                    <th scope="col">{strings.history.joined}</th>
                    <th scope="col">{strings.history.left}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.participants.map((p, i) => (
                    <tr key={`${p.displayName}-${p.joinedAt}-${i}`}>
                      <td>{p.displayName}</td>
                      <td className="text-capitalize">{p.role}</td>
                      <td>{formatDateTime(p.joinedAt)}</td>
                      <td>{p.leftAt ? formatDateTime(p.leftAt) : strings.history.stillThere}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <RecordingList code={data.meeting.code} />
          <BoardHistory code={data.meeting.code} title={data.meeting.title} />
        </>
      )}
    </div>
  );
}

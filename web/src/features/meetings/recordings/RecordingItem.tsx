import type { MouseEvent } from 'react';
import { recordingFileUrl, type Recording, type RecordingStatus } from '../../../api/recordings';
import { strings } from '../../../i18n/strings';
import { formatDateTime, formatDuration } from '../../../ui/format';

const byteFormat = (unit: 'byte' | 'kilobyte' | 'megabyte' | 'gigabyte') =>
  new Intl.NumberFormat(undefined, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 });

/** A file size in decimal units, as browsers' download managers show it ("45.2 MB"). */
export function formatBytes(bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return byteFormat(units[unit]!).format(unit === 0 ? Math.round(value) : value);
}

const BADGE: Record<RecordingStatus, { className: string; icon: string }> = {
  recording: { className: 'text-bg-danger', icon: 'bi-record-circle-fill' },
  composing: { className: 'text-bg-warning', icon: 'bi-hourglass-split' },
  ready: { className: 'text-bg-success', icon: 'bi-check-circle' },
  failed: { className: 'bg-danger-subtle text-danger-emphasis', icon: 'bi-exclamation-triangle' },
};

export interface RecordingItemProps {
  recording: Recording;
  /** The Play button waits for the media cookie; it is not disabled meanwhile so it keeps focus. */
  opening: boolean;
  onPlay: (r: Recording) => void;
  onDownload: (event: MouseEvent<HTMLAnchorElement>) => void;
  onDelete: (r: Recording) => void;
}

/** One recording of the history page: when, who, how long, how big, and what can be done with it. */
export function RecordingItem({ recording: r, opening, onPlay, onDownload, onDelete }: RecordingItemProps) {
  const when = formatDateTime(r.startedAt);
  const details = [
    strings.recordings.startedBy(r.startedBy),
    r.durationSeconds !== null ? formatDuration(r.durationSeconds) : null,
    r.sizeBytes !== null ? formatBytes(r.sizeBytes) : null,
  ].filter((d): d is string => d !== null);
  const percent = Math.round(Math.min(100, Math.max(0, r.progress)));
  const badge = BADGE[r.status];
  const deletable = r.canDelete && (r.status === 'ready' || r.status === 'failed');

  return (
    <li className="list-group-item d-flex flex-wrap align-items-center gap-3 py-3" data-testid="recording" data-status={r.status}>
      <div className="flex-fill-shrink">
        <div className="fw-medium">
          {when}
          <span className={`badge ${badge.className} ms-2`} data-testid="recording-status">
            <i className={`bi ${badge.icon} me-1`} aria-hidden="true" />
            {strings.recordings.status[r.status]}
          </span>
        </div>
        <div className="small text-secondary">{details.join(' · ')}</div>
        {r.status === 'composing' && (
          <div
            className="progress mt-2"
            role="progressbar"
            aria-label={strings.recordings.progress}
            aria-valuenow={percent}
            aria-valuemin={0}
            aria-valuemax={100}
            style={{ height: '1.1rem', maxWidth: 320 }}
          >
            <div className="progress-bar progress-bar-striped progress-bar-animated" style={{ width: `${percent}%` }}>
              {strings.recordings.progressText(percent)}
            </div>
          </div>
        )}
        {r.status === 'failed' && <div className="small text-danger mt-1">{r.error || strings.recordings.failed}</div>}
      </div>
      {(r.status === 'ready' || deletable) && (
        <div className="d-flex flex-wrap gap-2">
          {r.status === 'ready' && (
            <>
              <button
                type="button"
                className="btn btn-sm btn-primary rounded-pill"
                onClick={() => onPlay(r)}
                aria-label={strings.recordings.playLabel(when)}
                aria-busy={opening || undefined}
              >
                {opening ? (
                  <span className="spinner-border spinner-border-sm me-1" aria-hidden="true" />
                ) : (
                  <i className="bi bi-play-fill me-1" aria-hidden="true" />
                )}
                {strings.recordings.play}
              </button>
              <a
                className="btn btn-sm btn-outline-primary rounded-pill"
                href={recordingFileUrl(r.id, true)}
                download
                onClick={onDownload}
                aria-label={strings.recordings.downloadLabel(when)}
              >
                <i className="bi bi-download me-1" aria-hidden="true" />
                {strings.recordings.download}
              </a>
            </>
          )}
          {deletable && (
            <button
              type="button"
              className="btn btn-sm btn-outline-danger rounded-pill"
              onClick={() => onDelete(r)}
              aria-label={strings.recordings.deleteLabel(when)}
            >
              <i className="bi bi-trash" aria-hidden="true" />
            </button>
          )}
        </div>
      )}
    </li>
  );
}

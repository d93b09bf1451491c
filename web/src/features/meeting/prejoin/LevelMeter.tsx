import { useEffect, useState } from 'react';
import { createLevelMeter } from '../../../media/devices';

export interface LevelMeterProps {
  /** The microphone to listen to; null shows an empty bar (muted or no microphone). */
  track: MediaStreamTrack | null;
  label: string;
}

/**
 * A bar that follows the loudness of the microphone, so people see that it picks them up before
 * they join. Its state lives here so that the ~20 updates a second re-render only the bar.
 */
export function LevelMeter({ track, label }: LevelMeterProps) {
  const [level, setLevel] = useState(0);

  useEffect(() => {
    if (!track) return undefined;
    return createLevelMeter(track, setLevel);
  }, [track]);

  return <LevelBar level={track ? level : 0} label={label} />;
}

/** The bar alone: `level` is 0..1. Exposed as an ARIA meter (not a live region, so it is not read out). */
export function LevelBar({ level, label }: { level: number; label: string }) {
  const percent = Math.round(Math.min(1, Math.max(0, level)) * 100);
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      className="progress flex-grow-1"
      style={{ height: '0.375rem' }}
    >
      <div className="progress-bar bg-success" style={{ width: `${percent}%`, transition: 'none' }} />
    </div>
  );
}

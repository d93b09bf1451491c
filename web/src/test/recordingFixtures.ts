import type { Recording } from '../api/recordings';

/** A server recording as GET /api/v1/recordings/{id} returns it: ready by default. */
export const recording = (over: Partial<Recording> = {}): Recording => ({
  id: 12,
  meetingCode: 'abc-defg-hij',
  startedBy: 'Alice',
  startedAt: '2026-11-25T19:00:00Z',
  stoppedAt: '2026-11-25T19:42:10Z',
  status: 'ready',
  progress: 100,
  durationSeconds: 2530,
  sizeBytes: 48_200_000,
  tracks: 4,
  error: null,
  canDelete: true,
  ...over,
});

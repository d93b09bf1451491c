import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { strings } from '../../../i18n/strings';
import { supportsScreenShare } from '../../../media/screenShare';
import { INITIAL_STATE } from '../../../meeting/roomState';
import { ControlBar } from './ControlBar';

const noop = () => undefined;

function renderBar(nav: Parameters<typeof supportsScreenShare>[0]) {
  // MeetingRoom passes supportsScreenShare() && the meeting's policy; the policy allows it here.
  render(
    <ControlBar
      state={INITIAL_STATE}
      panel={null}
      canShareScreen={supportsScreenShare(nav)}
      isHost
      onMic={noop}
      onCamera={noop}
      onScreen={noop}
      onHand={noop}
      onPanel={noop}
      onLeave={noop}
      onEnd={noop}
    />,
  );
}

describe('screen share button', () => {
  it('is offered on a desktop browser with getDisplayMedia', () => {
    renderBar({ mediaDevices: { getDisplayMedia: async () => ({}) as MediaStream } });
    expect(screen.getByRole('button', { name: strings.room.shareScreen })).toBeInTheDocument();
  });

  it('is not offered on a phone browser without it', () => {
    renderBar({ mediaDevices: {} });
    expect(screen.queryByRole('button', { name: strings.room.shareScreen })).toBeNull();
    expect(screen.getByRole('button', { name: /microphone/i })).toBeInTheDocument();
  });
});

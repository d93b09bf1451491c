import { errorMessage } from '../../api/errors';
import { downloadInvite } from '../../api/meetings';
import type { Meeting } from '../../api/types';
import { strings } from '../../i18n/strings';
import { copyText } from '../../ui/clipboard';
import { useToast } from '../../ui/Toasts';

/** Copy-link and calendar-invite actions shared by the meeting list and the summary card. */
export function useMeetingActions() {
  const toast = useToast();
  return {
    copyLink: async (meeting: Meeting) => {
      const ok = await copyText(meeting.joinUrl);
      toast.show(ok ? strings.common.copied : strings.common.copyFailed, ok ? 'success' : 'danger');
    },
    downloadInvite: async (meeting: Meeting) => {
      try {
        await downloadInvite(meeting.code);
      } catch (err) {
        toast.show(`${strings.meetings.inviteFailed} ${errorMessage(err)}`, 'danger');
      }
    },
  };
}

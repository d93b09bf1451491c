import type { ReactNode } from 'react';
import { strings } from '../../i18n/strings';
import { useSession } from '../auth/session';
import { AccountForm } from './AccountForm';
import { DeleteAccount } from './DeleteAccount';
import { NotificationPrefs } from './NotificationPrefs';
import { PasswordForm } from './PasswordForm';
import { PushDevice } from './PushDevice';
import { SessionList } from './SessionList';

function Section({
  id,
  title,
  lead,
  danger,
  children,
}: {
  id: string;
  title: string;
  lead?: string;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <section className={`section-card p-4 mb-4${danger ? ' border-danger-subtle' : ''}`} aria-labelledby={id}>
      <h2 id={id} className={`h5 mb-${lead ? 1 : 3}${danger ? ' text-danger' : ''}`}>
        {title}
      </h2>
      {lead && <p className="text-secondary small mb-3">{lead}</p>}
      {children}
    </section>
  );
}

export default function Profile() {
  const { user } = useSession();
  if (!user) return null;
  return (
    <div className="container py-4" style={{ maxWidth: 720 }}>
      <h1 className="h3 mb-4">{strings.profile.title}</h1>
      <Section id="profile-account" title={strings.profile.account}>
        <AccountForm key={`${user.username}|${user.email}`} user={user} />
      </Section>
      <Section id="profile-password" title={strings.profile.password}>
        <PasswordForm />
      </Section>
      <Section id="profile-sessions" title={strings.profile.sessions} lead={strings.profile.sessionsLead}>
        <SessionList />
      </Section>
      <Section id="profile-notifications" title={strings.notifications.title} lead={strings.notifications.lead}>
        <PushDevice />
        <hr className="my-4" />
        <NotificationPrefs />
      </Section>
      <Section id="profile-delete" title={strings.profile.dangerZone} danger>
        <DeleteAccount />
      </Section>
    </div>
  );
}

import type { ReactNode } from 'react';

/** The centred card every sign-in page uses. */
export function AuthCard({ title, lead, children, footer }: { title: string; lead?: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="container">
      <div className="auth-card card p-4 p-sm-5 shadow-sm">
        <div className="text-center mb-4">
          <span className="brand-mark mb-3" aria-hidden="true">
            <i className="bi bi-camera-video-fill" />
          </span>
          <h1 className="h4 mb-1">{title}</h1>
          {lead && <p className="text-secondary mb-0">{lead}</p>}
        </div>
        {children}
        {footer && <div className="text-center mt-4 small">{footer}</div>}
      </div>
    </div>
  );
}

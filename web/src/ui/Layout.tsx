import { Suspense, useState } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router-dom';
import { useSession } from '../features/auth/session';
import { strings } from '../i18n/strings';
import { PageLoader } from './PageLoader';
import { useToast } from './Toasts';

function Brand() {
  return (
    <Link to="/" className="navbar-brand d-flex align-items-center gap-2 fw-semibold">
      <span className="brand-mark" aria-hidden="true">
        <i className="bi bi-camera-video-fill" />
      </span>
      {strings.appName}
    </Link>
  );
}

export function Layout() {
  const { user, signOut: endSession } = useSession();
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const toast = useToast();
  const close = () => setOpen(false);

  const signOut = async () => {
    close();
    await endSession();
    toast.show(strings.nav.signedOut, 'info');
    navigate('/');
  };

  const navClass = ({ isActive }: { isActive: boolean }) => `nav-link${isActive ? ' active' : ''}`;

  return (
    <div className="d-flex flex-column min-vh-100">
      <a href="#main" className="visually-hidden-focusable skip-link">
        {strings.nav.mainContent}
      </a>
      <nav className="navbar navbar-expand-md bg-body border-bottom app-navbar">
        <div className="container">
          <Brand />
          <button
            className="navbar-toggler"
            type="button"
            aria-controls="main-nav"
            aria-expanded={open}
            aria-label={strings.nav.toggle}
            onClick={() => setOpen((o) => !o)}
          >
            <span className="navbar-toggler-icon" />
          </button>
          <div className={`collapse navbar-collapse${open ? ' show' : ''}`} id="main-nav">
            <ul className="navbar-nav ms-auto align-items-md-center gap-md-1">
              {user ? (
                <>
                  <li className="nav-item">
                    <NavLink to="/" end className={navClass} onClick={close}>
                      <i className="bi bi-house me-1" aria-hidden="true" />
                      {strings.nav.home}
                    </NavLink>
                  </li>
                  <li className="nav-item">
                    <NavLink to="/meetings" className={navClass} onClick={close}>
                      <i className="bi bi-calendar3 me-1" aria-hidden="true" />
                      {strings.nav.meetings}
                    </NavLink>
                  </li>
                  <li className="nav-item">
                    <NavLink to="/profile" className={navClass} onClick={close}>
                      <i className="bi bi-person-circle me-1" aria-hidden="true" />
                      {user.username}
                    </NavLink>
                  </li>
                  <li className="nav-item">
                    <button type="button" className="btn btn-link nav-link" onClick={() => void signOut()}>
                      <i className="bi bi-box-arrow-right me-1" aria-hidden="true" />
                      {strings.nav.signOut}
                    </button>
                  </li>
                </>
              ) : (
                <>
                  <li className="nav-item">
                    <NavLink to="/login" className={navClass} onClick={close}>
                      {strings.nav.signIn}
                    </NavLink>
                  </li>
                  <li className="nav-item">
                    <Link to="/register" className="btn btn-primary rounded-pill px-3 ms-md-2 mt-2 mt-md-0" onClick={close}>
                      {strings.nav.signUp}
                    </Link>
                  </li>
                </>
              )}
            </ul>
          </div>
        </div>
      </nav>
      <main id="main" className="flex-grow-1" tabIndex={-1}>
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

import { Link } from 'react-router-dom';
import { strings } from '../../i18n/strings';
import { JoinForm } from '../home/JoinForm';

export default function Landing() {
  return (
    <>
      <section className="container py-5">
        <div className="row align-items-center gx-4 gx-sm-5 gy-5 py-md-4">
          <div className="col-lg-6">
            <h1 className="hero-title mb-3">{strings.landing.headline}</h1>
            <p className="hero-lead mb-4">{strings.landing.lead}</p>
            <div className="d-flex flex-wrap gap-2 mb-4">
              <Link to="/register" className="btn btn-primary btn-pill-lg">
                <i className="bi bi-camera-video me-2" aria-hidden="true" />
                {strings.landing.getStarted}
              </Link>
              <Link to="/login" className="btn btn-outline-primary btn-pill-lg">
                {strings.landing.haveAccount}
              </Link>
            </div>
            <h2 className="h6 text-secondary fw-normal mb-2">{strings.landing.joinTitle}</h2>
            <div className="join-row">
              <JoinForm />
            </div>
          </div>
          <div className="col-lg-6 d-none d-sm-block">
            <div className="hero-art" aria-hidden="true">
              <i className="bi bi-people-fill" />
            </div>
          </div>
        </div>
      </section>
      <section className="surface py-5 border-top">
        <div className="container">
          <div className="row g-4">
            {strings.landing.features.map((f) => (
              <div className="col-md-4" key={f.title}>
                <span className="feature-icon mb-3" aria-hidden="true">
                  <i className={`bi bi-${f.icon}`} />
                </span>
                <h2 className="h5">{f.title}</h2>
                <p className="text-secondary mb-0">{f.body}</p>
              </div>
            ))}
          </div>
        </div>
      </section>
    </>
  );
}

import { Link } from 'react-router-dom';
import { strings } from '../i18n/strings';

export default function NotFound() {
  return (
    <div className="container py-5 text-center">
      <h1 className="h3">{strings.common.notFound}</h1>
      <p className="text-secondary">{strings.common.notFoundBody}</p>
      <Link to="/" className="btn btn-primary rounded-pill">
        {strings.common.goHome}
      </Link>
    </div>
  );
}

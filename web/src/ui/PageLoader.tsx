import { strings } from '../i18n/strings';

export function PageLoader() {
  return (
    <div className="d-flex justify-content-center py-5" role="status">
      <span className="spinner-border text-primary" aria-hidden="true" />
      <span className="visually-hidden">{strings.common.loading}</span>
    </div>
  );
}

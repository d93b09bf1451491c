import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { strings } from '../i18n/strings';

type ToastVariant = 'success' | 'danger' | 'info';
interface ToastItem {
  id: number;
  message: string;
  variant: ToastVariant;
}

interface ToastApi {
  show: (message: string, variant?: ToastVariant) => void;
}

const ToastContext = createContext<ToastApi>({ show: () => undefined });

const LIFETIME_MS = 5000;

/** Transient notifications, announced politely to screen readers. Plain Bootstrap markup keeps
 * react-bootstrap (and its transition code) out of the first-load bundle. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setItems((list) => list.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (message: string, variant: ToastVariant = 'success') => {
      const id = nextId.current++;
      setItems((list) => [...list.slice(-3), { id, message, variant }]);
      setTimeout(() => dismiss(id), LIFETIME_MS);
    },
    [dismiss],
  );
  const value = useMemo(() => ({ show }), [show]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toast-container position-fixed bottom-0 start-50 translate-middle-x p-3" aria-live="polite" aria-atomic="false">
        {items.map((t) => (
          <div
            key={t.id}
            className={`toast show align-items-center text-bg-${t.variant === 'info' ? 'dark' : t.variant} border-0`}
            role="status"
          >
            <div className="d-flex">
              <div className="toast-body">{t.message}</div>
              <button
                type="button"
                className="btn-close btn-close-white me-2 m-auto"
                aria-label={strings.common.close}
                onClick={() => dismiss(t.id)}
              />
            </div>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  return useContext(ToastContext);
}

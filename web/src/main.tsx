import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Styles and icon fonts are bundled from npm packages and served by our own server: no CDN.
import 'bootstrap/dist/css/bootstrap.min.css';
import 'bootstrap-icons/font/bootstrap-icons.min.css';
import './styles.css';
import { App } from './App';
import { startServiceWorker } from './pwa/updates';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// The service worker (offline shell, push) exists only in production builds; in development Vite
// serves modules fresh and a worker would only get in the way.
if (import.meta.env.PROD) void startServiceWorker();

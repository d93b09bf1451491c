/// <reference lib="webworker" />
// The service worker (built by vite-plugin-pwa's injectManifest into dist/sw.js). It precaches
// the app shell so the app opens at once and offline, routes app navigations to index.html but
// leaves the server's own paths (/api/, /ws, /metrics, /healthz) to the network, caches only
// static files at run time (never an API answer), and shows Web Push notifications.
import { cleanupOutdatedCaches, createHandlerBoundToURL, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute, setCatchHandler } from 'workbox-routing';
import { CacheFirst, NetworkOnly, StaleWhileRevalidate } from 'workbox-strategies';
import { ExpirationPlugin } from 'workbox-expiration';
import { handleNotificationClick, handlePush, handleSubscriptionChange, isServerPath, isStaticAsset, SERVER_PATHS } from './swHandlers';

declare const self: ServiceWorkerGlobalScope;

const OFFLINE_PAGE = '/offline.html';

cleanupOutdatedCaches();
// Stylesheets ask for fonts with a cache-busting query (bootstrap-icons.woff2?24e3eb…): the
// precached file is the same, so match it whatever the query.
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });

registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [...SERVER_PATHS] }));
// A navigation to a server path (a recording download, /healthz) goes to the network; only when
// that fails does the catch handler below answer, with the offline page rather than an error.
registerRoute(({ request, url }) => request.mode === 'navigate' && isServerPath(url.pathname), new NetworkOnly());

// Hashed bundles never change under one name: cache first. Unhashed files (icons) revalidate.
registerRoute(
  ({ request, url }) => url.pathname.startsWith('/assets/') && isStaticAsset(url, request.destination, self.location.origin),
  new CacheFirst({ cacheName: 'fm-assets', plugins: [new ExpirationPlugin({ maxEntries: 100, maxAgeSeconds: 30 * 86400 })] }),
);
registerRoute(
  ({ request, url }) => !url.pathname.startsWith('/assets/') && isStaticAsset(url, request.destination, self.location.origin),
  new StaleWhileRevalidate({ cacheName: 'fm-static', plugins: [new ExpirationPlugin({ maxEntries: 50 })] }),
);

setCatchHandler(async ({ request }) => {
  if (request.mode === 'navigate') return (await matchPrecache(OFFLINE_PAGE)) ?? Response.error();
  return Response.error();
});

// registerType 'prompt': a new version waits until the page's "Reload" button asks for it.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

self.addEventListener('push', (event) => {
  event.waitUntil(handlePush(self.registration, event.data, self.clients));
});

// The push service renewed or dropped the subscription (expiry, key rotation on its side).
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    handleSubscriptionChange({
      newSubscription: event.newSubscription,
      pushManager: self.registration.pushManager,
      fetch: (input, init) => fetch(input, init),
    })
      .then((result) => {
        if (result === 'failed')
          console.warn('Could not save the renewed push subscription; notifications stop until push is turned on again');
      })
      .catch((error: unknown) => console.warn('Could not renew the push subscription', error)),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.waitUntil(handleNotificationClick(event.notification, self.clients, self.location.origin));
});

import { lazy } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router-dom';
import { GuestOnly, RequireAuth, SessionProvider, useSession } from './features/auth/session';
import { UpdatePrompt } from './pwa/UpdatePrompt';
import { Layout } from './ui/Layout';
import { OfflineBanner } from './ui/OfflineBanner';
import { PageLoader } from './ui/PageLoader';
import { ToastProvider } from './ui/Toasts';

// One chunk per page, so that a first visit to the landing or sign-in page loads only what it shows.
const Landing = lazy(() => import('./features/auth/Landing'));
const Login = lazy(() => import('./features/auth/Login'));
const Register = lazy(() => import('./features/auth/Register'));
const ForgotPassword = lazy(() => import('./features/auth/ForgotPassword'));
const ResetPassword = lazy(() => import('./features/auth/ResetPassword'));
const Home = lazy(() => import('./features/home/Home'));
const Meetings = lazy(() => import('./features/meetings/Meetings'));
const EditMeeting = lazy(() => import('./features/meetings/EditMeeting'));
const MeetingHistory = lazy(() => import('./features/meetings/MeetingHistory'));
const Profile = lazy(() => import('./features/profile/Profile'));
const MeetingPage = lazy(() => import('./features/meeting/MeetingPage'));
const NotFound = lazy(() => import('./ui/NotFound'));

/** "/" is the landing page for visitors and the home page for signed-in users, as in Meet. */
function Root() {
  const { ready, user } = useSession();
  if (!ready) return <PageLoader />;
  return user ? <Home /> : <Landing />;
}

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: '/', element: <Root /> },
      {
        path: '/login',
        element: (
          <GuestOnly>
            <Login />
          </GuestOnly>
        ),
      },
      {
        path: '/register',
        element: (
          <GuestOnly>
            <Register />
          </GuestOnly>
        ),
      },
      { path: '/forgot-password', element: <ForgotPassword /> },
      { path: '/reset-password', element: <ResetPassword /> },
      {
        path: '/meetings',
        element: (
          <RequireAuth>
            <Meetings />
          </RequireAuth>
        ),
      },
      {
        path: '/meetings/:code/edit',
        element: (
          <RequireAuth>
            <EditMeeting />
          </RequireAuth>
        ),
      },
      {
        path: '/meetings/:code/history',
        element: (
          <RequireAuth>
            <MeetingHistory />
          </RequireAuth>
        ),
      },
      {
        path: '/profile',
        element: (
          <RequireAuth>
            <Profile />
          </RequireAuth>
        ),
      },
      { path: '/m/:code', element: <MeetingPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

const router = createBrowserRouter(routes, {
  future: {
    v7_relativeSplatPath: true,
    v7_fetcherPersist: true,
    v7_normalizeFormMethod: true,
    v7_partialHydration: true,
    v7_skipActionErrorRevalidation: true,
  },
});

export function App() {
  return (
    <SessionProvider>
      <ToastProvider>
        <OfflineBanner />
        <RouterProvider router={router} future={{ v7_startTransition: true }} />
        <UpdatePrompt />
      </ToastProvider>
    </SessionProvider>
  );
}

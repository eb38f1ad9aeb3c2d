import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router-dom';
import { hasRole, useAuth } from './auth';
import { Loading } from './components/common';
import { LoginPage, RegisterPage } from './pages/Account';
import { ScenariosPage } from './pages/Scenarios';
import { ScenarioPage } from './pages/Scenario';
import { PracticePage } from './pages/Practice';
import { SessionsPage } from './pages/Sessions';
import { ReportPage } from './pages/Report';

const ProgressPage = lazy(() => import('./pages/Progress'));
const AuthoringPage = lazy(() => import('./educator/Authoring'));
const EditScenarioPage = lazy(() => import('./educator/EditScenario'));
const ReviewPage = lazy(() => import('./educator/Review'));
const AdminPage = lazy(() => import('./admin/Admin'));

function RequireUser({ children, roles }: { children: ReactNode; roles?: string[] }) {
  const { user } = useAuth();
  const location = useLocation();
  if (!user) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (roles && !hasRole(user, ...roles)) {
    return (
      <div className="alert" role="alert">
        You do not have access to this page.
      </div>
    );
  }
  return <>{children}</>;
}

function Header() {
  const { user, signOut } = useAuth();
  return (
    <header className="site-header">
      <div className="header-inner">
        <NavLink to="/" className="brand">
          PracticePlatform
        </NavLink>
        {user && (
          <nav aria-label="Main">
            <ul className="nav-links">
              <li>
                <NavLink to="/scenarios">Scenarios</NavLink>
              </li>
              <li>
                <NavLink to="/sessions" end>
                  My sessions
                </NavLink>
              </li>
              <li>
                <NavLink to="/progress">Progress</NavLink>
              </li>
              {hasRole(user, 'educator') && (
                <>
                  <li>
                    <NavLink to="/educator/scenarios">Authoring</NavLink>
                  </li>
                  <li>
                    <NavLink to="/educator/sessions">Review</NavLink>
                  </li>
                </>
              )}
              {hasRole(user, 'institution-admin') && (
                <li>
                  <NavLink to="/admin">Administration</NavLink>
                </li>
              )}
            </ul>
          </nav>
        )}
        {user && (
          <div className="account">
            <span className="muted account-name">{user.displayName}</span>
            <button type="button" className="secondary" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        )}
      </div>
    </header>
  );
}

/** Moves focus to the main region after a client-side navigation, so keyboard and screen-reader users start there. */
function useFocusOnNavigate() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: false });
  }, [location.pathname]);
}

export function App() {
  const { user, ready } = useAuth();
  useFocusOnNavigate();
  if (!ready) {
    return (
      <main id="main" className="container">
        <Loading />
      </main>
    );
  }

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to main content
      </a>
      <Header />
      <main id="main" className="container" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<Navigate to={user ? '/scenarios' : '/login'} replace />} />
            <Route path="/login" element={<LoginPage />} />
            <Route path="/register" element={<RegisterPage />} />
            <Route path="/scenarios" element={<RequireUser><ScenariosPage /></RequireUser>} />
            <Route path="/scenarios/:id" element={<RequireUser><ScenarioPage /></RequireUser>} />
            <Route path="/practice/:sessionId" element={<RequireUser><PracticePage /></RequireUser>} />
            <Route path="/sessions" element={<RequireUser><SessionsPage /></RequireUser>} />
            <Route path="/sessions/:sessionId/report" element={<RequireUser><ReportPage /></RequireUser>} />
            <Route path="/progress" element={<RequireUser><ProgressPage /></RequireUser>} />
            <Route path="/educator/scenarios" element={<RequireUser roles={['educator']}><AuthoringPage /></RequireUser>} />
            <Route path="/educator/scenarios/:id/edit" element={<RequireUser roles={['educator']}><EditScenarioPage /></RequireUser>} />
            <Route path="/educator/sessions" element={<RequireUser roles={['educator', 'institution-admin']}><ReviewPage /></RequireUser>} />
            <Route path="/admin" element={<RequireUser roles={['institution-admin']}><AdminPage /></RequireUser>} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}

function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <NavLink to="/">Go to the start page</NavLink>
      </p>
    </>
  );
}

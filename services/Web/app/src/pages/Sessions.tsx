import { Link } from 'react-router-dom';
import { get } from '../api/client';
import { scenarioTitles } from '../api/lookups';
import type { PracticeSessionPage } from '../api/types';
import { ErrorAlert, formatDate, Loading, scenarioName, useAsync, useDocumentTitle } from '../components/common';
import { useAuth } from '../auth';

export function SessionsPage() {
  useDocumentTitle('My sessions');
  const { user } = useAuth();
  const sessions = useAsync(async (signal) => {
    const page = await get<PracticeSessionPage>('sessions', `/v1/sessions?learnerId=${user!.id}&pageSize=100`, signal);
    return { page, titles: await scenarioTitles(page.items.map((s) => s.scenarioId)) };
  }, [user?.id]);

  return (
    <>
      <h1>My sessions</h1>
      {sessions.loading ? (
        <Loading />
      ) : sessions.error ? (
        <ErrorAlert error={sessions.error} />
      ) : sessions.data!.page.items.length === 0 ? (
        <p className="empty">
          No sessions yet. <Link to="/scenarios">Choose a scenario</Link> to start practising.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">Your practice sessions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Scenario</th>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {sessions.data!.page.items.map((s) => (
                <tr key={s.id}>
                  <td data-label="Scenario">{scenarioName(sessions.data!.titles, s.scenarioId)}</td>
                  <td data-label="Started">{formatDate(s.startedAt)}</td>
                  <td data-label="Status">
                    <span className={`badge badge-${s.status}`}>{s.status}</span>
                  </td>
                  <td data-label="Actions" className="row-actions">
                    {s.status === 'active' && <Link to={`/practice/${s.id}`}>Continue</Link>}
                    <Link to={`/sessions/${s.id}/report`}>View report</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

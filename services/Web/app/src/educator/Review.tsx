import { useState } from 'react';
import { Link } from 'react-router-dom';
import { get } from '../api/client';
import { scenarioTitles } from '../api/lookups';
import type { MemberPage, PracticeSessionPage } from '../api/types';
import { useAuth } from '../auth';
import { ErrorAlert, formatDate, Loading, Pager, scenarioName, shortId, useAsync, useDocumentTitle } from '../components/common';

export default function ReviewPage() {
  useDocumentTitle('Review');
  const { user } = useAuth();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const sessions = useAsync(
    async (signal) => {
      const query = new URLSearchParams({ page: String(page), pageSize: '50' });
      if (status) query.set('status', status);
      const list = await get<PracticeSessionPage>('sessions', `/v1/sessions?${query}`, signal);
      const institutionId = user?.institution?.id;
      const [titles, members] = await Promise.all([
        scenarioTitles(list.items.map((s) => s.scenarioId)),
        institutionId
          ? get<MemberPage>('users', `/v1/users/institutions/${institutionId}/members?pageSize=200`, signal).catch(() => null)
          : Promise.resolve(null),
      ]);
      const names: Record<string, string> = Object.fromEntries((members?.items ?? []).map((m) => [m.id, m.displayName]));
      return { list, titles, names };
    },
    [status, page, user?.id],
  );

  const totalPages = sessions.data ? Math.max(1, Math.ceil(sessions.data.list.total / sessions.data.list.pageSize)) : 1;
  return (
    <>
      <h1>Review</h1>
      <p>Practice sessions of the cohorts you teach, newest first.</p>
      <div className="filters">
        <div className="field">
          <label htmlFor="review-status">Status</label>
          <select
            id="review-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setPage(1);
            }}
          >
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="completed">Completed</option>
            <option value="abandoned">Abandoned</option>
          </select>
        </div>
      </div>
      {sessions.loading ? (
        <Loading />
      ) : sessions.error ? (
        <ErrorAlert error={sessions.error} />
      ) : sessions.data!.list.items.length === 0 ? (
        <p className="empty">No sessions to review yet.</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="responsive">
              <caption className="visually-hidden">Sessions to review</caption>
              <thead>
                <tr>
                  <th scope="col">Learner</th>
                  <th scope="col">Scenario</th>
                  <th scope="col">Started</th>
                  <th scope="col">Status</th>
                  <th scope="col">Report</th>
                </tr>
              </thead>
              <tbody>
                {sessions.data!.list.items.map((s) => (
                  <tr key={s.id}>
                    <td data-label="Learner">{sessions.data!.names[s.learnerId] ?? `Learner ${shortId(s.learnerId)}`}</td>
                    <td data-label="Scenario">{scenarioName(sessions.data!.titles, s.scenarioId)}</td>
                    <td data-label="Started">{formatDate(s.startedAt)}</td>
                    <td data-label="Status">
                      <span className={`badge badge-${s.status}`}>{s.status}</span>
                    </td>
                    <td data-label="Report">
                      <Link to={`/sessions/${s.id}/report`}>Open report</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager label="Pages" page={page} totalPages={totalPages} onPage={setPage} />
        </>
      )}
    </>
  );
}

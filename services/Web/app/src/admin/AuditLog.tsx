import { useState } from 'react';
import { get } from '../api/client';
import type { AuditEntry, MemberPage } from '../api/types';
import { ErrorAlert, formatDate, Loading, shortId, useAsync } from '../components/common';
import type { TabProps } from './shared';

const limit = 50;

/** The users service's audit event types (AuditEventTypes), named for people. */
const eventTypes: Record<string, string> = {
  'user.registered': 'Registered',
  'login.succeeded': 'Signed in',
  'login.failed': 'Sign-in failed',
  'login.throttled': 'Sign-in throttled',
  'token.refreshed': 'Token refreshed',
  'token.reused': 'Refresh token reused',
  'session.logged-out': 'Signed out',
  'session.revoked': 'Login ended',
  'user.role-changed': 'Roles changed',
  'user.deactivated': 'Deactivated',
  'user.invited': 'Invited',
  'user.password-reset': 'Password reset',
  'cohort.educator-assigned': 'Educator assigned to cohort',
  'cohort.educator-removed': 'Educator removed from cohort',
  'feedback.item-overridden': 'Feedback item overridden',
};

export function AuditLog({ base }: TabProps) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(true);
  const [type, setType] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>();
  const first = useAsync(
    async (signal) => {
      const [page, members] = await Promise.all([
        get<AuditEntry[]>('users', `${base}/audit?limit=${limit}`, signal),
        get<MemberPage>('users', `${base}/members?pageSize=200`, signal).catch(() => null),
      ]);
      setEntries(page);
      setMore(page.length === limit);
      return Object.fromEntries((members?.items ?? []).map((m) => [m.id, m.displayName])) as Record<string, string>;
    },
    [base],
  );

  async function loadOlder() {
    setLoadingMore(true);
    setError(undefined);
    try {
      const before = entries[entries.length - 1]?.id;
      const page = await get<AuditEntry[]>('users', `${base}/audit?limit=${limit}${before ? `&before=${before}` : ''}`);
      setEntries((e) => [...e, ...page]);
      setMore(page.length === limit);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  if (first.loading) return <Loading />;
  if (first.error) return <ErrorAlert error={first.error} />;
  const names = first.data ?? {};
  const person = (id: string | null) => (id ? (names[id] ?? `User ${shortId(id)}`) : '—');
  const shown = type ? entries.filter((e) => e.type === type) : entries;
  const types = [...new Set([...Object.keys(eventTypes), ...entries.map((e) => e.type)])];
  return (
    <>
      <h2>Audit log</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="audit-type">Event type</label>
          <select id="audit-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All events</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {eventTypes[t] ?? t}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted" aria-live="polite">
        Showing {shown.length} of {entries.length} loaded entries{more ? '; older entries can be loaded' : ''}.
      </p>
      {shown.length === 0 ? (
        <p className="empty">{type ? 'No entries of this type among those loaded.' : 'Nothing recorded yet.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Outcome</th>
                <th scope="col">By</th>
                <th scope="col">About</th>
                <th scope="col">Detail</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.id}>
                  <td data-label="When">{formatDate(e.occurredAt)}</td>
                  <td data-label="Event">{eventTypes[e.type] ?? e.type}</td>
                  <td data-label="Outcome">{e.outcome}</td>
                  <td data-label="By">{person(e.actorId)}</td>
                  <td data-label="About">{person(e.subjectId)}</td>
                  <td data-label="Detail" className="wrap break">
                    {e.detail ?? '—'}
                  </td>
                  <td data-label="Address">{e.ipAddress ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorAlert error={error} />
      {more && entries.length > 0 && (
        <button type="button" className="secondary" onClick={() => void loadOlder()} disabled={loadingMore}>
          {loadingMore ? 'Loading older entries' : 'Load older'}
        </button>
      )}
    </>
  );
}

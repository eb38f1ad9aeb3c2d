import { useState, type FormEvent } from 'react';
import { get, post } from '../api/client';
import type { CohortSummary, InvitationListItem, InvitationStatus, InvitationSummary, Role } from '../api/types';
import { ErrorAlert, formatDate, Loading, useAsync } from '../components/common';
import { institutionRoles, roleNames, type TabProps } from './shared';

const statusNames: Record<InvitationStatus, string> = { pending: 'Pending', accepted: 'Accepted', expired: 'Expired' };

export function Invitations({ base }: TabProps) {
  const [status, setStatus] = useState<InvitationStatus | ''>('');
  const cohorts = useAsync((signal) => get<CohortSummary[]>('users', `${base}/cohorts`, signal), [base]);
  const invitations = useAsync(
    (signal) => get<InvitationListItem[]>('users', `${base}/invitations${status ? `?status=${status}` : ''}`, signal),
    [base, status],
  );
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('learner');
  const [cohortId, setCohortId] = useState('');
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState('');

  async function invite(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setMessage('');
    try {
      const sent = await post<InvitationSummary>('users', `${base}/invitations`, { email, role, cohortId: cohortId || null });
      setMessage(`Invitation sent to ${sent.email} as ${roleNames[sent.role]}, valid until ${formatDate(sent.expiresAt)}.`);
      setEmail('');
      invitations.reload();
    } catch (e) {
      setError(e);
    }
  }

  const cohortNames = Object.fromEntries((cohorts.data ?? []).map((c) => [c.id, c.name]));
  return (
    <>
      <h2>Invite someone</h2>
      <p>The invitation is e-mailed; its link registers the person with the role you choose, within seven days.</p>
      <form onSubmit={invite} className="filters">
        <div className="field grow">
          <label htmlFor="invite-email">Email</label>
          <input id="invite-email" type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {institutionRoles.map((r) => (
              <option key={r} value={r}>
                {roleNames[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="invite-cohort">Cohort</label>
          <select id="invite-cohort" value={cohortId} onChange={(e) => setCohortId(e.target.value)}>
            <option value="">No cohort</option>
            {cohorts.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field end">
          <button type="submit">Send invitation</button>
        </div>
      </form>
      <ErrorAlert error={error ?? cohorts.error} />
      <p className="status-text" role="status">
        {message}
      </p>
      <h2>Invitations</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="invitation-status">Status</label>
          <select id="invitation-status" value={status} onChange={(e) => setStatus(e.target.value as InvitationStatus | '')}>
            <option value="">Any status</option>
            <option value="pending">Pending</option>
            <option value="accepted">Accepted</option>
            <option value="expired">Expired</option>
          </select>
        </div>
      </div>
      {invitations.loading && !invitations.data ? (
        <Loading />
      ) : invitations.error ? (
        <ErrorAlert error={invitations.error} />
      ) : invitations.data!.length === 0 ? (
        <p className="empty">{status ? `No ${status} invitations.` : 'No invitations sent yet.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">Invitations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Cohort</th>
                <th scope="col">Status</th>
                <th scope="col">Sent</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {invitations.data!.map((i) => (
                <tr key={i.id}>
                  <td data-label="Email" className="break">
                    {i.email}
                  </td>
                  <td data-label="Role">{roleNames[i.role] ?? i.role}</td>
                  <td data-label="Cohort">{i.cohortId ? (cohortNames[i.cohortId] ?? 'Unknown cohort') : '—'}</td>
                  <td data-label="Status">
                    <span className={`badge badge-${i.status}`}>{statusNames[i.status] ?? i.status}</span>
                    {i.acceptedAt && <span className="muted"> {formatDate(i.acceptedAt)}</span>}
                  </td>
                  <td data-label="Sent">{formatDate(i.createdAt)}</td>
                  <td data-label="Expires">{formatDate(i.expiresAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

import { useState, type FormEvent } from 'react';
import { get, post, put } from '../api/client';
import type { CohortSummary, MemberPage, MemberSummary, Role } from '../api/types';
import { useAuth } from '../auth';
import { ConfirmDialog, ErrorAlert, Loading, Pager, useAsync } from '../components/common';
import { institutionRoles, roleNames, type TabProps } from './shared';

const pageSize = 50;

export function Members({ base }: TabProps) {
  const [page, setPage] = useState(1);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>();
  const [confirming, setConfirming] = useState<MemberSummary | null>(null);
  const { user } = useAuth();
  const data = useAsync(
    async (signal) => {
      const [members, cohorts] = await Promise.all([
        get<MemberPage>('users', `${base}/members?page=${page}&pageSize=${pageSize}`, signal),
        get<CohortSummary[]>('users', `${base}/cohorts`, signal),
      ]);
      return { members, cohorts };
    },
    [base, page],
  );

  function replace(updated: MemberSummary) {
    if (!data.data) return;
    const items = data.data.members.items.map((m) => (m.id === updated.id ? updated : m));
    data.setData({ ...data.data, members: { ...data.data.members, items } });
  }

  async function deactivate(member: MemberSummary) {
    setConfirming(null);
    setError(undefined);
    setMessage('');
    try {
      replace(await post<MemberSummary>('users', `${base}/members/${member.id}/deactivate`));
      setMessage(`${member.displayName} is deactivated; their logins have ended.`);
    } catch (e) {
      setError(e);
    }
  }

  const totalPages = data.data ? Math.max(1, Math.ceil(data.data.members.total / pageSize)) : 1;
  return (
    <>
      <h2>Members{data.data ? ` (${data.data.members.total})` : ''}</h2>
      <p className="status-text" role="status">
        {message}
      </p>
      <ErrorAlert error={error} />
      {data.loading ? (
        <Loading />
      ) : data.error ? (
        <ErrorAlert error={data.error} />
      ) : data.data!.members.items.length === 0 ? (
        <p className="empty">No members yet.</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="responsive">
              <caption className="visually-hidden">Members of the institution</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Cohort</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.data!.members.items.map((m) => (
                  <MemberRow
                    key={m.id}
                    base={base}
                    member={m}
                    cohorts={data.data!.cohorts}
                    self={m.id === user?.id}
                    onSaved={(updated, text) => {
                      replace(updated);
                      setError(undefined);
                      setMessage(text);
                    }}
                    onDeactivate={() => setConfirming(m)}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <Pager label="Member pages" page={page} totalPages={totalPages} onPage={setPage} />
        </>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={`Deactivate ${confirming?.displayName ?? ''}?`}
        confirmLabel="Deactivate"
        onConfirm={() => confirming && void deactivate(confirming)}
        onCancel={() => setConfirming(null)}
      >
        <p>
          {confirming?.displayName} ({confirming?.email}) will not be able to sign in, and every login of theirs ends at once.
        </p>
      </ConfirmDialog>
    </>
  );
}

function MemberRow({
  base,
  member,
  cohorts,
  self,
  onSaved,
  onDeactivate,
}: {
  self: boolean;
  base: string;
  member: MemberSummary;
  cohorts: CohortSummary[];
  onSaved: (member: MemberSummary, message: string) => void;
  onDeactivate: () => void;
}) {
  const [roles, setRoles] = useState<Role[]>(member.roles.filter((r) => institutionRoles.includes(r)));
  const [cohortId, setCohortId] = useState(member.cohortId ?? '');
  const [error, setError] = useState<unknown>();
  const cohortSelect = `member-cohort-${member.id}`;
  const platformAdmin = member.roles.includes('platform-admin');

  async function saveRoles(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const updated = (await put<MemberSummary>('users', `${base}/members/${member.id}/roles`, { roles })).data;
      onSaved(updated, `Roles of ${member.displayName} saved: ${updated.roles.map((r) => roleNames[r] ?? r).join(', ')}.`);
    } catch (e) {
      setError(e);
    }
  }

  async function saveCohort(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const updated = (await put<MemberSummary>('users', `${base}/members/${member.id}/cohort`, { cohortId: cohortId || null })).data;
      const name = cohorts.find((c) => c.id === updated.cohortId)?.name;
      onSaved(updated, name ? `${member.displayName} is now in ${name}.` : `${member.displayName} is in no cohort.`);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <tr>
      <td data-label="Name">
        <strong>{member.displayName}</strong>
        <br />
        <span className="muted break">{member.email}</span>
      </td>
      <td data-label="Roles">
        <form onSubmit={saveRoles} className="small-form">
          <fieldset>
            <legend className="visually-hidden">Roles of {member.displayName}</legend>
            {institutionRoles.map((r) => (
              <label key={r} className="inline">
                <input
                  type="checkbox"
                  checked={roles.includes(r)}
                  onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
                />
                {roleNames[r]}
              </label>
            ))}
            {platformAdmin && <p className="hint">Also a platform admin.</p>}
            <button type="submit" className="small">
              Save roles
            </button>
          </fieldset>
        </form>
      </td>
      <td data-label="Cohort">
        <form onSubmit={saveCohort} className="inline-form">
          <label htmlFor={cohortSelect} className="visually-hidden">
            Cohort for {member.displayName}
          </label>
          <select id={cohortSelect} value={cohortId} onChange={(e) => setCohortId(e.target.value)}>
            <option value="">No cohort</option>
            {cohorts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="submit" className="small secondary">
            Save cohort
          </button>
        </form>
      </td>
      <td data-label="Status">
        <span className={`badge badge-${member.status}`}>{member.status}</span>
      </td>
      <td data-label="Actions">
        {self ? (
          <span className="muted">You</span>
        ) : member.status === 'active' ? (
          <button type="button" className="danger small" onClick={onDeactivate}>
            Deactivate {member.displayName}
          </button>
        ) : (
          <span className="muted">Cannot sign in</span>
        )}
        <ErrorAlert error={error} />
      </td>
    </tr>
  );
}

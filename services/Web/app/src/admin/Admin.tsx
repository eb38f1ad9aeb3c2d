import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { get, post, put, request } from '../api/client';
import type { AuditEntry, CohortEducator, CohortSummary, InvitationSummary, MemberPage, MemberSummary, Role } from '../api/types';
import { useAuth } from '../auth';
import { ErrorAlert, formatDate, Loading, useAsync, useDocumentTitle } from '../components/common';

const tabs = ['Members', 'Cohorts', 'Invitations', 'Audit log'] as const;
type Tab = (typeof tabs)[number];

const roleNames: Record<string, string> = {
  learner: 'Learner',
  educator: 'Educator',
  'institution-admin': 'Institution admin',
  'platform-admin': 'Platform admin',
};
const institutionRoles: Role[] = ['learner', 'educator', 'institution-admin'];

export default function AdminPage() {
  useDocumentTitle('Administration');
  const { user } = useAuth();
  const [tab, setTab] = useState<Tab>('Members');
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const institutionId = user?.institution?.id;

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    let next = index;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    else return;
    event.preventDefault();
    setTab(tabs[next]);
    refs.current[next]?.focus();
  }

  if (!institutionId) {
    return (
      <>
        <h1>Administration</h1>
        <p className="empty">You are not signed in to an institution.</p>
      </>
    );
  }

  const base = `/v1/users/institutions/${institutionId}`;
  return (
    <>
      <h1>Administration</h1>
      <p className="meta">
        {user?.institution?.name} · institution join code <code>{user?.institution?.joinCode}</code>
      </p>
      <div role="tablist" aria-label="Administration" className="tabs">
        {tabs.map((t, i) => (
          <button
            key={t}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${i}`}
            aria-selected={tab === t}
            aria-controls={`panel-${i}`}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => setTab(t)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {t}
          </button>
        ))}
      </div>
      {tabs.map((t, i) => (
        <div key={t} role="tabpanel" id={`panel-${i}`} aria-labelledby={`tab-${i}`} hidden={tab !== t} tabIndex={0} className="tabpanel">
          {tab === t && t === 'Members' && <Members base={base} />}
          {tab === t && t === 'Cohorts' && <Cohorts base={base} />}
          {tab === t && t === 'Invitations' && <Invitations base={base} />}
          {tab === t && t === 'Audit log' && <Audit base={base} />}
        </div>
      ))}
    </>
  );
}

function Members({ base }: { base: string }) {
  const members = useAsync(
    async (signal) => {
      const [page, cohorts] = await Promise.all([
        get<MemberPage>('users', `${base}/members?pageSize=200`, signal),
        get<CohortSummary[]>('users', `${base}/cohorts`, signal),
      ]);
      return { page, cohorts };
    },
    [base],
  );
  const [editing, setEditing] = useState<string | null>(null);

  if (members.loading) return <Loading />;
  if (members.error) return <ErrorAlert error={members.error} />;
  const { page, cohorts } = members.data!;
  const cohortNames = Object.fromEntries(cohorts.map((c) => [c.id, c.name]));
  if (page.items.length === 0) return <p className="empty">No members yet.</p>;
  return (
    <>
      <h2>Members ({page.total})</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Roles</th>
              <th scope="col">Cohort</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((m) => (
              <tr key={m.id}>
                <td>{m.displayName}</td>
                <td>{m.email}</td>
                <td>
                  {editing === m.id ? (
                    <RolesForm
                      base={base}
                      member={m}
                      onDone={(updated) => {
                        setEditing(null);
                        if (updated) members.setData({ cohorts, page: { ...page, items: page.items.map((x) => (x.id === updated.id ? updated : x)) } });
                      }}
                    />
                  ) : (
                    m.roles.map((r) => roleNames[r] ?? r).join(', ')
                  )}
                </td>
                <td>{m.cohortId ? (cohortNames[m.cohortId] ?? '—') : '—'}</td>
                <td>{m.status}</td>
                <td className="row-actions">
                  {editing !== m.id && (
                    <button type="button" className="secondary small" onClick={() => setEditing(m.id)}>
                      Change roles of {m.displayName}
                    </button>
                  )}
                  {m.status === 'active' && <DeactivateButton base={base} member={m} onDone={members.reload} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RolesForm({ base, member, onDone }: { base: string; member: MemberSummary; onDone: (m?: MemberSummary) => void }) {
  const [roles, setRoles] = useState<Role[]>(member.roles.filter((r) => institutionRoles.includes(r)));
  const [error, setError] = useState<unknown>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      onDone((await put<MemberSummary>('users', `${base}/members/${member.id}/roles`, { roles })).data);
    } catch (e) {
      setError(e);
    }
  }
  return (
    <form onSubmit={submit} className="stack small-form">
      <fieldset>
        <legend>Roles of {member.displayName}</legend>
        {institutionRoles.map((r) => (
          <label key={r} className="inline">
            <input
              type="checkbox"
              checked={roles.includes(r)}
              onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
            />{' '}
            {roleNames[r]}
          </label>
        ))}
      </fieldset>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" className="small">
          Save roles
        </button>
        <button type="button" className="secondary small" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DeactivateButton({ base, member, onDone }: { base: string; member: MemberSummary; onDone: () => void }) {
  const [error, setError] = useState<unknown>();
  async function deactivate() {
    if (!window.confirm(`Deactivate ${member.displayName}? Their logins end at once.`)) return;
    try {
      await post('users', `${base}/members/${member.id}/deactivate`);
      onDone();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <>
      <button type="button" className="danger small" onClick={() => void deactivate()}>
        Deactivate {member.displayName}
      </button>
      <ErrorAlert error={error} />
    </>
  );
}

function Cohorts({ base }: { base: string }) {
  const data = useAsync(
    async (signal) => {
      const [cohorts, educators] = await Promise.all([
        get<CohortSummary[]>('users', `${base}/cohorts`, signal),
        get<MemberPage>('users', `${base}/members?role=educator&pageSize=200`, signal),
      ]);
      return { cohorts, educators: educators.items };
    },
    [base],
  );
  const [name, setName] = useState('');
  const [joinCode, setJoinCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState('');

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setCreated('');
    try {
      const cohort = await post<CohortSummary>('users', `${base}/cohorts`, { name, joinCode: joinCode.trim() || null });
      setCreated(`Cohort ${cohort.name} created${cohort.joinCode ? ` with join code ${cohort.joinCode}` : ''}.`);
      setName('');
      setJoinCode('');
      data.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <>
      <h2>Create a cohort</h2>
      <form onSubmit={create} className="filters">
        <div className="field grow">
          <label htmlFor="cohort-name">Cohort name</label>
          <input id="cohort-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="cohort-code">Join code (optional)</label>
          <input id="cohort-code" maxLength={32} value={joinCode} onChange={(e) => setJoinCode(e.target.value)} />
        </div>
        <div className="field end">
          <button type="submit">Create cohort</button>
        </div>
      </form>
      <ErrorAlert error={error} />
      {created && <p role="status">{created}</p>}
      <h2>Cohorts</h2>
      {data.loading ? (
        <Loading />
      ) : data.error ? (
        <ErrorAlert error={data.error} />
      ) : data.data!.cohorts.length === 0 ? (
        <p className="empty">No cohorts yet.</p>
      ) : (
        <ul className="cards">
          {data.data!.cohorts.map((c) => (
            <li key={c.id} className="card">
              <h3 className="card-title">{c.name}</h3>
              <p className="meta">
                Join code: {c.joinCode ? <code>{c.joinCode}</code> : 'none'} · {c.members} members · {c.educators} educators
              </p>
              <CohortEducators base={base} cohort={c} educators={data.data!.educators} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function CohortEducators({ base, cohort, educators }: { base: string; cohort: CohortSummary; educators: MemberSummary[] }) {
  const assigned = useAsync((signal) => get<CohortEducator[]>('users', `${base}/cohorts/${cohort.id}/educators`, signal), [cohort.id]);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<unknown>();
  const selectId = `assign-${cohort.id}`;

  async function assign(event: FormEvent) {
    event.preventDefault();
    if (!choice) return;
    setError(undefined);
    try {
      await put('users', `${base}/cohorts/${cohort.id}/educators/${choice}`);
      setChoice('');
      assigned.reload();
    } catch (e) {
      setError(e);
    }
  }

  async function remove(userId: string) {
    setError(undefined);
    try {
      await request('users', `${base}/cohorts/${cohort.id}/educators/${userId}`, { method: 'DELETE' });
      assigned.reload();
    } catch (e) {
      setError(e);
    }
  }

  const current = new Set((assigned.data ?? []).map((e) => e.userId));
  return (
    <div className="stack">
      {assigned.loading ? (
        <Loading />
      ) : assigned.error ? (
        <ErrorAlert error={assigned.error} />
      ) : assigned.data!.length === 0 ? (
        <p className="muted">No educators teach this cohort.</p>
      ) : (
        <ul>
          {assigned.data!.map((e) => (
            <li key={e.userId}>
              {e.displayName} ({e.email}){' '}
              <button type="button" className="secondary small" onClick={() => void remove(e.userId)}>
                Remove {e.displayName} from {cohort.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={assign} className="inline-form">
        <label htmlFor={selectId}>Educator for {cohort.name}</label>
        <select id={selectId} value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">Choose an educator</option>
          {educators
            .filter((e) => !current.has(e.id))
            .map((e) => (
              <option key={e.id} value={e.id}>
                {e.displayName}
              </option>
            ))}
        </select>
        <button type="submit" className="small" disabled={!choice}>
          Assign educator
        </button>
      </form>
      <ErrorAlert error={error} />
    </div>
  );
}

function Invitations({ base }: { base: string }) {
  const cohorts = useAsync((signal) => get<CohortSummary[]>('users', `${base}/cohorts`, signal), [base]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('learner');
  const [cohortId, setCohortId] = useState('');
  const [sent, setSent] = useState<InvitationSummary[]>([]);
  const [error, setError] = useState<unknown>();

  async function invite(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const invitation = await post<InvitationSummary>('users', `${base}/invitations`, { email, role, cohortId: cohortId || null });
      setSent((s) => [invitation, ...s]);
      setEmail('');
    } catch (e) {
      setError(e);
    }
  }

  return (
    <>
      <h2>Invite someone</h2>
      <p>The invitation is e-mailed; its link registers the person with the role you choose.</p>
      <form onSubmit={invite} className="filters">
        <div className="field grow">
          <label htmlFor="invite-email">Email</label>
          <input id="invite-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
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
      <h2>Sent now</h2>
      {sent.length === 0 ? (
        <p className="empty">No invitations sent in this visit.</p>
      ) : (
        <ul role="status">
          {sent.map((i) => (
            <li key={i.id}>
              Invitation sent to {i.email} as {roleNames[i.role]}, valid until {formatDate(i.expiresAt)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Audit({ base }: { base: string }) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>();
  const first = useAsync(
    async (signal) => {
      const page = await get<AuditEntry[]>('users', `${base}/audit?limit=50`, signal);
      setEntries(page);
      setMore(page.length === 50);
      return page;
    },
    [base],
  );

  async function loadOlder() {
    setLoadingMore(true);
    setError(undefined);
    try {
      const before = entries[entries.length - 1]?.id;
      const page = await get<AuditEntry[]>('users', `${base}/audit?limit=50${before ? `&before=${before}` : ''}`);
      setEntries((e) => [...e, ...page]);
      setMore(page.length === 50);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  if (first.loading) return <Loading />;
  if (first.error) return <ErrorAlert error={first.error} />;
  return (
    <>
      <h2>Audit log</h2>
      {entries.length === 0 ? (
        <p className="empty">Nothing recorded yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Outcome</th>
                <th scope="col">Detail</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.occurredAt)}</td>
                  <td>{e.type}</td>
                  <td>{e.outcome}</td>
                  <td className="wrap">{e.detail ?? '—'}</td>
                  <td>{e.ipAddress ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorAlert error={error} />
      {more && entries.length > 0 && (
        <button type="button" className="secondary" onClick={() => void loadOlder()} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load older entries'}
        </button>
      )}
    </>
  );
}

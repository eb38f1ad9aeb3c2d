import { useState, type FormEvent } from 'react';
import { get, post, put, request } from '../api/client';
import type { CohortEducator, CohortSummary, MemberPage, MemberSummary } from '../api/types';
import { ErrorAlert, Loading, useAsync } from '../components/common';
import type { TabProps } from './shared';

export function Cohorts({ base }: TabProps) {
  const data = useAsync(
    async (signal) => {
      const [cohorts, educators] = await Promise.all([
        get<CohortSummary[]>('users', `${base}/cohorts`, signal),
        get<MemberPage>('users', `${base}/members?role=educator&pageSize=200`, signal),
      ]);
      return { cohorts, educators: educators.items.filter((e) => e.status === 'active') };
    },
    [base],
  );
  const [name, setName] = useState('');
  const [joinCode, setJoinCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState('');

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setMessage('');
    try {
      const cohort = await post<CohortSummary>('users', `${base}/cohorts`, { name, joinCode: joinCode.trim() || null });
      setMessage(`Cohort ${cohort.name} created${cohort.joinCode ? ` with join code ${cohort.joinCode}` : ''}.`);
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
          <input id="cohort-code" maxLength={32} value={joinCode} onChange={(e) => setJoinCode(e.target.value)} aria-describedby="cohort-code-hint" />
        </div>
        <div className="field end">
          <button type="submit">Create cohort</button>
        </div>
      </form>
      <p id="cohort-code-hint" className="hint">
        A join code (4 to 32 letters, digits or dashes) registers learners straight into the cohort.
      </p>
      <ErrorAlert error={error} />
      <p className="status-text" role="status">
        {message}
      </p>
      <h2>Cohorts</h2>
      {data.loading && !data.data ? (
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
              <dl className="facts">
                <dt>Join code</dt>
                <dd>{c.joinCode ? <code>{c.joinCode}</code> : 'None'}</dd>
                <dt>Members</dt>
                <dd>{c.members}</dd>
                <dt>Educators</dt>
                <dd>{c.educators}</dd>
              </dl>
              <CohortEducators base={base} cohort={c} educators={data.data!.educators} onChanged={(text) => { setMessage(text); data.reload(); }} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function CohortEducators({
  base,
  cohort,
  educators,
  onChanged,
}: {
  base: string;
  cohort: CohortSummary;
  educators: MemberSummary[];
  onChanged: (message: string) => void;
}) {
  const assigned = useAsync((signal) => get<CohortEducator[]>('users', `${base}/cohorts/${cohort.id}/educators`, signal), [cohort.id, cohort.educators]);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<unknown>();
  const selectId = `add-educator-${cohort.id}`;

  async function add(event: FormEvent) {
    event.preventDefault();
    const educator = educators.find((e) => e.id === choice);
    if (!educator) return;
    setError(undefined);
    try {
      await put('users', `${base}/cohorts/${cohort.id}/educators/${educator.id}`);
      setChoice('');
      onChanged(`${educator.displayName} now teaches ${cohort.name}.`);
    } catch (e) {
      setError(e);
    }
  }

  async function remove(educator: CohortEducator) {
    setError(undefined);
    try {
      await request('users', `${base}/cohorts/${cohort.id}/educators/${educator.userId}`, { method: 'DELETE' });
      onChanged(`${educator.displayName} no longer teaches ${cohort.name}.`);
    } catch (e) {
      setError(e);
    }
  }

  const current = new Set((assigned.data ?? []).map((e) => e.userId));
  return (
    <div className="stack">
      <h4 className="subheading">Educators</h4>
      {assigned.loading && !assigned.data ? (
        <Loading />
      ) : assigned.error ? (
        <ErrorAlert error={assigned.error} />
      ) : assigned.data!.length === 0 ? (
        <p className="muted">No educators teach this cohort.</p>
      ) : (
        <ul className="plain-list">
          {assigned.data!.map((e) => (
            <li key={e.userId}>
              <span className="break">
                {e.displayName} ({e.email})
              </span>{' '}
              <button type="button" className="secondary small" onClick={() => void remove(e)}>
                Remove {e.displayName} from {cohort.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} className="inline-form">
        <label htmlFor={selectId}>Educator to add to {cohort.name}</label>
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
        <button type="submit" className="small">
          Add educator
        </button>
      </form>
      <ErrorAlert error={error} />
    </div>
  );
}

import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { get } from '../api/client';
import type { NamedCode, ScenarioPage } from '../api/types';
import { ErrorAlert, Loading, useAsync, useDocumentTitle } from '../components/common';

const difficulties = ['foundation', 'intermediate', 'advanced'];

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function ScenariosPage() {
  useDocumentTitle('Scenarios');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const clinicalArea = params.get('clinicalArea') ?? '';
  const difficulty = params.get('difficulty') ?? '';
  const framework = params.get('framework') ?? '';
  const [search, setSearch] = useState(q);

  const codes = useAsync(
    async (signal) => {
      const [areas, frameworks] = await Promise.all([
        get<NamedCode[]>('content', '/v1/content/clinical-areas', signal),
        get<NamedCode[]>('content', '/v1/content/frameworks', signal),
      ]);
      return { areas, frameworks };
    },
    [],
  );

  const update = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  // Search as the learner types, once they pause.
  useEffect(() => {
    if (search === q) return;
    const timer = window.setTimeout(() => update('q', search.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [search]);

  const list = useAsync(
    (signal) => {
      const query = new URLSearchParams({ pageSize: '100' });
      if (q) query.set('q', q);
      if (clinicalArea) query.set('clinicalArea', clinicalArea);
      if (difficulty) query.set('difficulty', difficulty);
      if (framework) query.set('framework', framework);
      return get<ScenarioPage>('content', `/v1/content/scenarios?${query}`, signal);
    },
    [q, clinicalArea, difficulty, framework],
  );

  const areaNames = Object.fromEntries((codes.data?.areas ?? []).map((a) => [a.code, a.name]));
  const frameworkNames = Object.fromEntries((codes.data?.frameworks ?? []).map((f) => [f.code, f.name]));

  return (
    <>
      <h1>Scenarios</h1>
      <form className="filters" role="search" onSubmit={(e) => { e.preventDefault(); update('q', search.trim()); }}>
        <div className="field grow">
          <label htmlFor="scenario-search">Search scenarios</label>
          <input id="scenario-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="filter-area">Clinical area</label>
          <select id="filter-area" value={clinicalArea} onChange={(e) => update('clinicalArea', e.target.value)}>
            <option value="">All areas</option>
            {codes.data?.areas.map((a) => (
              <option key={a.code} value={a.code}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-difficulty">Difficulty</label>
          <select id="filter-difficulty" value={difficulty} onChange={(e) => update('difficulty', e.target.value)}>
            <option value="">Any difficulty</option>
            {difficulties.map((d) => (
              <option key={d} value={d}>
                {capitalise(d)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-framework">Framework</label>
          <select id="filter-framework" value={framework} onChange={(e) => update('framework', e.target.value)}>
            <option value="">All frameworks</option>
            {codes.data?.frameworks.map((f) => (
              <option key={f.code} value={f.code}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorAlert error={codes.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.error ? (
        <ErrorAlert error={list.error} />
      ) : list.data && list.data.items.length === 0 ? (
        <p className="empty">No scenarios match. Try other words or clear a filter.</p>
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {list.data?.total} {list.data?.total === 1 ? 'scenario' : 'scenarios'}
          </p>
          <ul className="cards">
            {list.data?.items.map((s) => (
              <li key={s.id} className="card">
                <h2 className="card-title">
                  <Link to={`/scenarios/${s.id}`}>{s.title}</Link>
                </h2>
                <p className="meta">
                  {areaNames[s.clinicalArea] ?? s.clinicalArea} · {capitalise(s.difficulty)} · {frameworkNames[s.framework] ?? s.framework} · {s.estimatedMinutes} min
                </p>
                <p>{s.summary}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { get, post } from '../api/client';
import type { ScenarioDetails, StartedSession } from '../api/types';
import { ErrorAlert, Loading, useAsync, useDocumentTitle } from '../components/common';
import { rememberRealtimeUrl } from '../realtime/conversation';
import { capitalise } from './Scenarios';

export function ScenarioPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const scenario = useAsync((signal) => get<ScenarioDetails>('content', `/v1/content/scenarios/${id}`, signal), [id]);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>();
  useDocumentTitle(scenario.data?.title ?? 'Scenario');

  async function start() {
    setStarting(true);
    setError(undefined);
    try {
      const session = await post<StartedSession>('sessions', '/v1/sessions', { scenarioId: id, mode: 'text' });
      rememberRealtimeUrl(session.id, session.realtimeUrl);
      navigate(`/practice/${session.id}`);
    } catch (e) {
      setError(e);
      setStarting(false);
    }
  }

  if (scenario.loading) return <Loading />;
  if (scenario.error || !scenario.data) return <ErrorAlert error={scenario.error} />;
  const s = scenario.data;
  const p = s.persona;
  return (
    <article className="brief">
      <p>
        <Link to="/scenarios">← All scenarios</Link>
      </p>
      <h1>{s.title}</h1>
      <p className="meta">
        {s.clinicalAreaName} · {capitalise(s.difficulty)} · {s.frameworkName} · about {s.estimatedMinutes} minutes · {s.setting}
      </p>
      <p className="lead">{s.summary}</p>
      <div className="actions">
        <button type="button" onClick={() => void start()} disabled={starting}>
          Start practice
        </button>
        {starting && <span className="muted" role="status">Starting…</span>}
      </div>
      <ErrorAlert error={error} />
      <section aria-labelledby="patient-heading">
        <h2 id="patient-heading">Your patient</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{p.name}</dd>
          <dt>Age</dt>
          <dd>{p.age}</dd>
          <dt>Occupation</dt>
          <dd>{p.occupation}</dd>
          <dt>Presenting complaint</dt>
          <dd>{p.presentingComplaint}</dd>
          <dt>Language</dt>
          <dd>
            {p.preferredLanguage} ({p.englishProficiency} English)
          </dd>
        </dl>
        <p>{p.background}</p>
      </section>
      <section aria-labelledby="objectives-heading">
        <h2 id="objectives-heading">Learning objectives</h2>
        <ul>
          {s.learningObjectives.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ul>
      </section>
      {s.flow.topics.length > 0 && (
        <section aria-labelledby="topics-heading">
          <h2 id="topics-heading">Topics to cover</h2>
          <ul>
            {s.flow.topics.map((t) => (
              <li key={t.code}>{t.description}</li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="rubric-heading">
        <h2 id="rubric-heading">How you will be assessed</h2>
        <p>
          Against the {s.rubric.essentials.length} {s.rubric.name.toLowerCase()}
          {s.rubric.contentItemCount > 0 ? ` and ${s.rubric.contentItemCount} items specific to this scenario` : ''}.
        </p>
      </section>
    </article>
  );
}

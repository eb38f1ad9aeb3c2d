import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { get, post } from '../api/client';
import type { ScenarioDocument, ScenarioDraftView, ScenarioPage } from '../api/types';
import { useAuth } from '../auth';
import { ErrorAlert, formatDate, Loading, useAsync, useDocumentTitle } from '../components/common';
import template from './scenarioTemplate.json';

interface AuthoredScenario {
  id: string;
  title: string;
  latestVersion: number;
  draft: boolean;
  updatedAt: string | null;
  platformWide: boolean;
}

export default function AuthoringPage() {
  useDocumentTitle('Authoring');
  const { user } = useAuth();
  const navigate = useNavigate();
  const isPlatformAdmin = !!user?.roles.includes('platform-admin');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<unknown>();

  const scenarios = useAsync(
    async (signal) => {
      const [drafts, catalogue] = await Promise.all([
        get<ScenarioDraftView[]>('content', '/v1/content/scenarios/drafts', signal),
        get<ScenarioPage>('content', '/v1/content/scenarios?pageSize=100', signal),
      ]);
      const byId = new Map<string, AuthoredScenario>();
      for (const s of catalogue.items) {
        const editable = s.institutionId ? s.institutionId === user?.institution?.id || isPlatformAdmin : isPlatformAdmin;
        if (editable) {
          byId.set(s.id, { id: s.id, title: s.title, latestVersion: s.version, draft: false, updatedAt: s.publishedAt, platformWide: !s.institutionId });
        }
      }
      for (const d of drafts) {
        byId.set(d.id, {
          id: d.id,
          title: d.document.title,
          latestVersion: d.latestVersion,
          draft: true,
          updatedAt: d.draftUpdatedAt,
          platformWide: !d.institutionId,
        });
      }
      return [...byId.values()].sort((a, b) => a.title.localeCompare(b.title));
    },
    [user?.id],
  );

  async function create() {
    setCreating(true);
    setError(undefined);
    try {
      const document: ScenarioDocument = {
        ...(template as unknown as ScenarioDocument),
        slug: `new-scenario-${Date.now().toString(36)}`,
        title: 'New scenario',
      };
      const created = await post<ScenarioDraftView>('content', '/v1/content/scenarios', document);
      navigate(`/educator/scenarios/${created.id}/edit`);
    } catch (e) {
      setError(e);
      setCreating(false);
    }
  }

  return (
    <>
      <h1>Authoring</h1>
      <p>Scenarios your institution owns{isPlatformAdmin ? ' and platform-wide scenarios' : ''}. A new scenario starts from a complete example you then edit.</p>
      <div className="actions">
        <button type="button" onClick={() => void create()} disabled={creating}>
          New scenario
        </button>
      </div>
      <ErrorAlert error={error} />
      {scenarios.loading ? (
        <Loading />
      ) : scenarios.error ? (
        <ErrorAlert error={scenarios.error} />
      ) : scenarios.data!.length === 0 ? (
        <p className="empty">No scenarios to edit yet. Create one with “New scenario”.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Scenarios you can edit</caption>
            <thead>
              <tr>
                <th scope="col">Scenario</th>
                <th scope="col">State</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {scenarios.data!.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/educator/scenarios/${s.id}/edit`}>Edit {s.title}</Link>
                    {s.platformWide && <span className="muted"> (platform-wide)</span>}
                  </td>
                  <td>
                    {s.latestVersion === 0
                      ? 'Draft, never published'
                      : `Published version ${s.latestVersion}${s.draft ? ', draft in progress' : ''}`}
                  </td>
                  <td>{formatDate(s.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

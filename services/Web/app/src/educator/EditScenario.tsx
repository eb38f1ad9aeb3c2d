import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, get, post, put, request } from '../api/client';
import type { HiddenFact, ScenarioDetails, ScenarioDocument, ScenarioDraftView } from '../api/types';
import { ErrorAlert, Loading, useDocumentTitle } from '../components/common';

interface Loaded {
  document: ScenarioDocument;
  /** The draft's ETag for If-Match; null when the scenario has no draft yet (editing a published version). */
  etag: string | null;
  latestVersion: number;
}

async function loadForEditing(id: string): Promise<Loaded> {
  try {
    const draft = await get<ScenarioDraftView>('content', `/v1/content/scenarios/${id}/draft`);
    return { document: draft.document, etag: `"${draft.draftRevision}"`, latestVersion: draft.latestVersion };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    // No draft: editing starts from the latest published version.
    const [document, details] = await Promise.all([
      request<ScenarioDocument>('content', `/v1/content/scenarios/${id}/export`).then((r) => r.data),
      get<ScenarioDetails>('content', `/v1/content/scenarios/${id}`),
    ]);
    return { document, etag: null, latestVersion: details.latestVersion };
  }
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
const words = (text: string) => text.split(',').map((w) => w.trim()).filter(Boolean);

export default function EditScenarioPage() {
  const { id = '' } = useParams();
  const [loaded, setLoaded] = useState<Loaded>();
  const [loadError, setLoadError] = useState<unknown>();
  const [doc, setDoc] = useState<ScenarioDocument>();
  const [etag, setEtag] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState('');
  useDocumentTitle(doc ? `Edit ${doc.title}` : 'Edit scenario');

  useEffect(() => {
    loadForEditing(id).then(
      (result) => {
        setLoaded(result);
        setDoc(result.document);
        setEtag(result.etag);
      },
      setLoadError,
    );
  }, [id]);

  if (loadError) return <ErrorAlert error={loadError} />;
  if (!doc || !loaded) return <Loading />;

  const change = (update: (d: ScenarioDocument) => ScenarioDocument) => {
    setDoc((d) => (d ? update(d) : d));
    setDirty(true);
    setStatus('');
  };
  const setField = <K extends keyof ScenarioDocument>(key: K, value: ScenarioDocument[K]) => change((d) => ({ ...d, [key]: value }));
  const setPersona = (key: string, value: unknown) => change((d) => ({ ...d, persona: { ...d.persona, [key]: value } }));
  const setFact = (index: number, fact: Partial<HiddenFact>) =>
    setPersona('hiddenFacts', doc.persona.hiddenFacts.map((f, i) => (i === index ? { ...f, ...fact } : f)));

  async function save(): Promise<boolean> {
    try {
      const response = await put<ScenarioDraftView>('content', `/v1/content/scenarios/${id}/draft`, doc, etag ? { 'if-match': etag } : undefined);
      setEtag(`"${response.data.draftRevision}"`);
      setDirty(false);
      return true;
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 412
          ? 'Someone else saved this draft since you opened it. Reload the page to see their changes (yours are not saved).'
          : e,
      );
      return false;
    }
  }

  async function onSave(event: FormEvent) {
    event.preventDefault();
    setBusy('save');
    setError(undefined);
    if (await save()) setStatus('Draft saved.');
    setBusy(null);
  }

  async function onPublish() {
    setBusy('publish');
    setError(undefined);
    try {
      if (dirty || etag === null) {
        if (!(await save())) return;
      }
      const published = await post<ScenarioDetails>('content', `/v1/content/scenarios/${id}/publish`);
      setEtag(null);
      setLoaded((l) => (l ? { ...l, latestVersion: published.version } : l));
      setStatus(`Published version ${published.version}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  const persona = doc.persona;
  return (
    <>
      <p>
        <Link to="/educator/scenarios">← Authoring</Link>
      </p>
      <h1>Edit scenario</h1>
      <p className="meta">
        {loaded.latestVersion === 0 ? 'Never published' : `Latest published version: ${loaded.latestVersion}`} · slug {doc.slug}
      </p>
      <form className="editor stack" onSubmit={onSave}>
        <fieldset>
          <legend>Catalogue entry</legend>
          <div className="field">
            <label htmlFor="title">Title</label>
            <input id="title" required maxLength={120} value={doc.title} onChange={(e) => setField('title', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="summary">Summary</label>
            <textarea id="summary" required maxLength={600} rows={3} value={doc.summary} onChange={(e) => setField('summary', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="setting">Setting</label>
            <input id="setting" required maxLength={120} value={doc.setting} onChange={(e) => setField('setting', e.target.value)} />
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor="difficulty">Difficulty</label>
              <select id="difficulty" value={doc.difficulty} onChange={(e) => setField('difficulty', e.target.value as ScenarioDocument['difficulty'])}>
                <option value="foundation">Foundation</option>
                <option value="intermediate">Intermediate</option>
                <option value="advanced">Advanced</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="minutes">Estimated minutes</label>
              <input
                id="minutes"
                type="number"
                min={5}
                max={60}
                value={doc.estimatedMinutes}
                onChange={(e) => setField('estimatedMinutes', Number(e.target.value))}
              />
            </div>
          </div>
          <div className="field">
            <label htmlFor="objectives">Learning objectives</label>
            <textarea
              id="objectives"
              rows={4}
              aria-describedby="objectives-hint"
              value={doc.learningObjectives.join('\n')}
              onChange={(e) => setField('learningObjectives', e.target.value.split('\n'))}
              onBlur={(e) => setField('learningObjectives', lines(e.target.value))}
            />
            <p id="objectives-hint" className="hint">
              One per line, 2 to 10.
            </p>
          </div>
        </fieldset>

        <fieldset>
          <legend>Patient persona</legend>
          <div className="field-row">
            <div className="field grow">
              <label htmlFor="patient-name">Patient name</label>
              <input id="patient-name" required value={persona.name} onChange={(e) => setPersona('name', e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="patient-age">Patient age</label>
              <input id="patient-age" type="number" min={0} max={110} value={persona.age} onChange={(e) => setPersona('age', Number(e.target.value))} />
            </div>
          </div>
          <div className="field">
            <label htmlFor="occupation">Occupation</label>
            <input id="occupation" value={persona.occupation} onChange={(e) => setPersona('occupation', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="complaint">Presenting complaint</label>
            <input id="complaint" required value={persona.presentingComplaint} onChange={(e) => setPersona('presentingComplaint', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="background">Background</label>
            <textarea id="background" rows={3} required value={persona.background} onChange={(e) => setPersona('background', e.target.value)} />
          </div>
        </fieldset>

        <fieldset>
          <legend>Hidden facts</legend>
          <p className="hint">Disclosed only when the learner asks about them (any of the trigger words). 2 to 12 facts.</p>
          {persona.hiddenFacts.map((fact, i) => (
            <fieldset key={i} className="fact">
              <legend>Hidden fact {i + 1}</legend>
              <div className="field">
                <label htmlFor={`fact-${i}`}>Fact {i + 1}</label>
                <textarea id={`fact-${i}`} rows={2} value={fact.fact} onChange={(e) => setFact(i, { fact: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor={`fact-when-${i}`}>Disclosed when (fact {i + 1})</label>
                <input id={`fact-when-${i}`} value={fact.disclosedWhen} onChange={(e) => setFact(i, { disclosedWhen: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor={`fact-triggers-${i}`}>Trigger words (fact {i + 1})</label>
                <input
                  id={`fact-triggers-${i}`}
                  aria-describedby="triggers-hint"
                  value={fact.triggers.join(', ')}
                  onChange={(e) => setFact(i, { triggers: words(e.target.value) })}
                />
              </div>
              <button
                type="button"
                className="secondary small"
                disabled={persona.hiddenFacts.length <= 2}
                onClick={() => setPersona('hiddenFacts', persona.hiddenFacts.filter((_, j) => j !== i))}
              >
                Remove hidden fact {i + 1}
              </button>
            </fieldset>
          ))}
          <p id="triggers-hint" className="hint">
            Trigger words are separated by commas.
          </p>
          <button
            type="button"
            className="secondary"
            disabled={persona.hiddenFacts.length >= 12}
            onClick={() => {
              const used = new Set(persona.hiddenFacts.map((f) => f.code));
              let n = persona.hiddenFacts.length + 1;
              while (used.has(`fact_${n}`)) n++;
              setPersona('hiddenFacts', [...persona.hiddenFacts, { code: `fact_${n}`, fact: '', disclosedWhen: 'When asked directly', triggers: [] }]);
            }}
          >
            Add hidden fact
          </button>
        </fieldset>

        <fieldset>
          <legend>Dialogue</legend>
          <div className="field">
            <label htmlFor="opening-line">Opening line</label>
            <textarea
              id="opening-line"
              rows={2}
              required
              value={doc.flow.openingLine}
              onChange={(e) => change((d) => ({ ...d, flow: { ...d.flow, openingLine: e.target.value } }))}
            />
          </div>
        </fieldset>

        <ErrorAlert error={error} />
        <div className="actions sticky-actions">
          <button type="submit" disabled={busy !== null}>
            Save draft
          </button>
          <button type="button" onClick={() => void onPublish()} disabled={busy !== null}>
            Publish
          </button>
          <p role="status" className="status-text">
            {busy === 'save' ? 'Saving…' : busy === 'publish' ? 'Publishing…' : status}
          </p>
        </div>
      </form>
    </>
  );
}

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, get, post, put, request } from '../api/client';
import type {
  EditableScenarioDocument,
  HiddenFact,
  NamedCode,
  RubricItemDocument,
  ScenarioDetails,
  ScenarioDocument,
  ScenarioDraftView,
} from '../api/types';
import { ErrorAlert, Loading, useAsync, useDocumentTitle } from '../components/common';
import './editor.css';
import { errorFieldOf, FieldError, groupFieldErrors, invalidProps, useFocusAfterRender, type FieldErrors } from './editorFields';
import { BranchesEditor, EmotionalStateEditor, TopicsEditor } from './FlowEditor';
import { RubricEditor } from './RubricEditor';
import { ScenarioPreview } from './ScenarioPreview';

interface Loaded {
  document: EditableScenarioDocument;
  /** The draft's ETag for If-Match; null when the scenario has no draft yet (editing a published version). */
  etag: string | null;
  latestVersion: number;
}

async function loadForEditing(id: string): Promise<Loaded> {
  try {
    const draft = await get<ScenarioDraftView>('content', `/v1/content/scenarios/${id}/draft`);
    return { document: draft.document as EditableScenarioDocument, etag: `"${draft.draftRevision}"`, latestVersion: draft.latestVersion };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    // No draft: editing starts from the latest published version.
    const [document, details] = await Promise.all([
      request<EditableScenarioDocument>('content', `/v1/content/scenarios/${id}/export`).then((r) => r.data),
      get<ScenarioDetails>('content', `/v1/content/scenarios/${id}`),
    ]);
    return { document, etag: null, latestVersion: details.latestVersion };
  }
}


const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
const words = (text: string) => text.split(',').map((w) => w.trim()).filter(Boolean);

/** The document as the API should get it: list entries typed but left blank are dropped. */
function clean(doc: EditableScenarioDocument): EditableScenarioDocument {
  const blankless = (list: string[]) => list.map((x) => x.trim()).filter(Boolean);
  return {
    ...doc,
    learningObjectives: blankless(doc.learningObjectives),
    persona: {
      ...doc.persona,
      allergies: blankless(doc.persona.allergies),
      phrases: blankless(doc.persona.phrases),
      hiddenFacts: doc.persona.hiddenFacts.map((f) => ({ ...f, triggers: blankless(f.triggers) })),
    },
    flow: { ...doc.flow, topics: doc.flow.topics.map((t) => ({ ...t, examplePhrasings: blankless(t.examplePhrasings) })) },
  };
}

/** Where the error summary sends focus for each field the API names. */
const fieldTargets: Record<string, string> = {
  title: 'title',
  summary: 'summary',
  setting: 'setting',
  clinicalArea: 'clinical-area',
  framework: 'framework',
  difficulty: 'difficulty',
  estimatedMinutes: 'minutes',
  learningObjectives: 'objectives',
  persona: 'patient-name',
  'persona.phrases': 'phrases',
  'persona.hiddenFacts': 'fact-0',
  'persona.emotionalState': 'emotion-initial',
  flow: 'opening-line',
  'flow.openingLine': 'opening-line',
  'flow.topics': 'topic-code-0',
  'flow.branches': 'branch-when-0',
  contentItems: 'item-code-0',
};

type Problem =
  | { kind: 'stale' }
  | { kind: 'invalid'; fields: FieldErrors; messages: { field: string | undefined; text: string }[] }
  | { kind: 'other'; error: unknown };

function problemOf(error: unknown): Problem {
  if (error instanceof ApiError && error.status === 412) return { kind: 'stale' };
  if (error instanceof ApiError && error.status === 400 && error.errors) {
    const fields = groupFieldErrors(error.errors);
    const messages = Object.entries(error.errors).flatMap(([key, texts]) => texts.map((text) => ({ field: errorFieldOf(key), text })));
    return { kind: 'invalid', fields, messages };
  }
  return { kind: 'other', error };
}

interface Lookups {
  areas: NamedCode[];
  frameworks: NamedCode[];
  essentials: RubricItemDocument[];
}

export default function EditScenarioPage() {
  const { id = '' } = useParams();
  const [loaded, setLoaded] = useState<Loaded>();
  const [loadError, setLoadError] = useState<unknown>();
  const [doc, setDoc] = useState<EditableScenarioDocument>();
  const [etag, setEtag] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<'save' | 'publish' | 'reload' | null>(null);
  const [problem, setProblem] = useState<Problem>();
  const [status, setStatus] = useState('');
  const [previewing, setPreviewing] = useState(false);
  const previewButton = useRef<HTMLButtonElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  const focus = useFocusAfterRender();
  useDocumentTitle(doc ? `Edit ${doc.title}` : 'Edit scenario');

  const lookups = useAsync<Lookups>(async (signal) => {
    const [areas, frameworks, essentials] = await Promise.all([
      get<NamedCode[]>('content', '/v1/content/clinical-areas', signal),
      get<NamedCode[]>('content', '/v1/content/frameworks', signal),
      get<RubricItemDocument[]>('content', '/v1/content/rubrics/consultation-essentials', signal),
    ]);
    return { areas, frameworks, essentials };
  }, []);

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

  // The summary of a refused save takes focus, so its list of problems is read first.
  useEffect(() => {
    if (problem?.kind === 'invalid' || problem?.kind === 'stale') summary.current?.focus();
  }, [problem]);

  if (loadError) return <ErrorAlert error={loadError} />;
  if (!doc || !loaded) return <Loading />;

  const change = (update: (d: EditableScenarioDocument) => EditableScenarioDocument) => {
    setDoc((d) => (d ? update(d) : d));
    setDirty(true);
    setStatus('');
  };
  const setField = <K extends keyof EditableScenarioDocument>(key: K, value: EditableScenarioDocument[K]) => change((d) => ({ ...d, [key]: value }));
  const setPersona = (key: string, value: unknown) => change((d) => ({ ...d, persona: { ...d.persona, [key]: value } }));
  const setFlow = (key: string, value: unknown) => change((d) => ({ ...d, flow: { ...d.flow, [key]: value } }));
  const setFact = (index: number, fact: Partial<HiddenFact>) =>
    setPersona('hiddenFacts', doc.persona.hiddenFacts.map((f, i) => (i === index ? { ...f, ...fact } : f)));
  const fieldErrors: FieldErrors = problem?.kind === 'invalid' ? problem.fields : {};

  async function save(): Promise<boolean> {
    const document = clean(doc!);
    try {
      const response = await put<ScenarioDraftView>('content', `/v1/content/scenarios/${id}/draft`, document, etag ? { 'if-match': etag } : undefined);
      setEtag(`"${response.data.draftRevision}"`);
      setDoc(document);
      setDirty(false);
      return true;
    } catch (e) {
      setProblem(problemOf(e));
      return false;
    }
  }

  async function onSave(event: FormEvent) {
    event.preventDefault();
    setBusy('save');
    setProblem(undefined);
    if (await save()) setStatus('Draft saved.');
    setBusy(null);
  }

  async function onPublish() {
    setBusy('publish');
    setProblem(undefined);
    try {
      if (dirty || etag === null) {
        if (!(await save())) return;
      }
      const published = await post<ScenarioDetails>('content', `/v1/content/scenarios/${id}/publish`);
      setEtag(null);
      setLoaded((l) => (l ? { ...l, latestVersion: published.version } : l));
      setStatus(`Published version ${published.version}`);
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(null);
    }
  }

  async function onReload() {
    setBusy('reload');
    try {
      const result = await loadForEditing(id);
      setLoaded(result);
      setDoc(result.document);
      setEtag(result.etag);
      setDirty(false);
      setProblem(undefined);
      setStatus('Reloaded the latest draft.');
      focus('title');
    } catch (e) {
      setProblem({ kind: 'other', error: e });
    } finally {
      setBusy(null);
    }
  }

  function closePreview() {
    setPreviewing(false);
    // The button is in the page again once the preview is gone.
    setTimeout(() => previewButton.current?.focus());
  }

  const persona = doc.persona;
  const nameOf = (list: NamedCode[] | undefined, code: string) => list?.find((x) => x.code === code)?.name ?? code;
  const options = (list: NamedCode[] | undefined, current: string) => {
    const all = list ?? [];
    return all.some((x) => x.code === current) ? all : [{ code: current, name: current }, ...all];
  };

  return (
    <>
      <p>
        <Link to="/educator/scenarios">← Authoring</Link>
      </p>
      <h1>Edit scenario</h1>
      <p className="meta">
        {loaded.latestVersion === 0 ? 'Never published' : `Latest published version: ${loaded.latestVersion}`} · slug {doc.slug}
      </p>
      <ErrorAlert error={lookups.error} />
      {previewing && (
        <ScenarioPreview
          doc={doc}
          clinicalAreaName={nameOf(lookups.data?.areas, doc.clinicalArea)}
          frameworkName={nameOf(lookups.data?.frameworks, doc.framework)}
          essentialsCount={lookups.data?.essentials.length ?? 16}
          onClose={closePreview}
        />
      )}
      <form className="editor stack" onSubmit={onSave} noValidate>
        <fieldset>
          <legend>Catalogue entry</legend>
          <div className="field">
            <label htmlFor="title">Title</label>
            <input
              id="title"
              required
              maxLength={120}
              value={doc.title}
              onChange={(e) => setField('title', e.target.value)}
              {...invalidProps(fieldErrors.title, 'title-error')}
            />
            <FieldError id="title-error" messages={fieldErrors.title} />
          </div>
          <div className="field">
            <label htmlFor="summary">Summary</label>
            <textarea
              id="summary"
              required
              maxLength={600}
              rows={3}
              value={doc.summary}
              onChange={(e) => setField('summary', e.target.value)}
              {...invalidProps(fieldErrors.summary, 'summary-error')}
            />
            <FieldError id="summary-error" messages={fieldErrors.summary} />
          </div>
          <div className="field">
            <label htmlFor="setting">Setting</label>
            <input
              id="setting"
              required
              maxLength={120}
              value={doc.setting}
              onChange={(e) => setField('setting', e.target.value)}
              {...invalidProps(fieldErrors.setting, 'setting-error')}
            />
            <FieldError id="setting-error" messages={fieldErrors.setting} />
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor="clinical-area">Clinical area</label>
              <select
                id="clinical-area"
                value={doc.clinicalArea}
                onChange={(e) => setField('clinicalArea', e.target.value)}
                {...invalidProps(fieldErrors.clinicalArea, 'clinical-area-error')}
              >
                {options(lookups.data?.areas, doc.clinicalArea).map((a) => (
                  <option key={a.code} value={a.code}>
                    {a.name}
                  </option>
                ))}
              </select>
              <FieldError id="clinical-area-error" messages={fieldErrors.clinicalArea} />
            </div>
            <div className="field">
              <label htmlFor="framework">Framework</label>
              <select
                id="framework"
                value={doc.framework}
                onChange={(e) => setField('framework', e.target.value)}
                {...invalidProps(fieldErrors.framework, 'framework-error')}
              >
                {options(lookups.data?.frameworks, doc.framework).map((f) => (
                  <option key={f.code} value={f.code}>
                    {f.name}
                  </option>
                ))}
              </select>
              <FieldError id="framework-error" messages={fieldErrors.framework} />
            </div>
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
                {...invalidProps(fieldErrors.estimatedMinutes, 'minutes-error')}
              />
              <FieldError id="minutes-error" messages={fieldErrors.estimatedMinutes} />
            </div>
          </div>
          <div className="field">
            <label htmlFor="objectives">Learning objectives</label>
            <textarea
              id="objectives"
              rows={4}
              value={doc.learningObjectives.join('\n')}
              onChange={(e) => setField('learningObjectives', e.target.value.split('\n'))}
              onBlur={(e) => setField('learningObjectives', lines(e.target.value))}
              {...invalidProps(fieldErrors.learningObjectives, 'objectives-error', 'objectives-hint')}
            />
            <p id="objectives-hint" className="hint">
              One per line, 2 to 10.
            </p>
            <FieldError id="objectives-error" messages={fieldErrors.learningObjectives} />
          </div>
        </fieldset>

        <fieldset aria-describedby={fieldErrors.persona ? 'persona-error' : undefined}>
          <legend>Patient persona</legend>
          <FieldError id="persona-error" messages={fieldErrors.persona} />
          <div className="field-row">
            <div className="field grow">
              <label htmlFor="patient-name">Patient name</label>
              <input id="patient-name" required value={persona.name} onChange={(e) => setPersona('name', e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="patient-age">Patient age</label>
              <input id="patient-age" type="number" min={0} max={110} value={persona.age} onChange={(e) => setPersona('age', Number(e.target.value))} />
            </div>
            <div className="field">
              <label htmlFor="patient-gender">Gender</label>
              <input id="patient-gender" value={persona.gender} onChange={(e) => setPersona('gender', e.target.value)} />
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
          <div className="field">
            <label htmlFor="personality">Personality</label>
            <textarea id="personality" rows={2} required value={persona.personality} onChange={(e) => setPersona('personality', e.target.value)} />
          </div>
          <p className="hint">Only you see the rest of the persona: learners get the name, age, occupation, presenting complaint and background.</p>
          <div className="field">
            <label htmlFor="history">Past medical history</label>
            <textarea id="history" rows={2} value={persona.history} onChange={(e) => setPersona('history', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="social-history">Social history</label>
            <textarea id="social-history" rows={2} value={persona.socialHistory} onChange={(e) => setPersona('socialHistory', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="family-history">Family history</label>
            <textarea id="family-history" rows={2} value={persona.familyHistory} onChange={(e) => setPersona('familyHistory', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="allergies">Allergies</label>
            <textarea
              id="allergies"
              rows={2}
              aria-describedby="allergies-hint"
              value={persona.allergies.join('\n')}
              onChange={(e) => setPersona('allergies', e.target.value.split('\n'))}
              onBlur={(e) => setPersona('allergies', lines(e.target.value))}
            />
            <p id="allergies-hint" className="hint">
              One per line; none for no known drug allergies.
            </p>
          </div>
          <div className="field">
            <label htmlFor="phrases">Phrases</label>
            <textarea
              id="phrases"
              rows={4}
              value={persona.phrases.join('\n')}
              onChange={(e) => setPersona('phrases', e.target.value.split('\n'))}
              onBlur={(e) => setPersona('phrases', lines(e.target.value))}
              {...invalidProps(fieldErrors['persona.phrases'], 'phrases-error', 'phrases-hint')}
            />
            <p id="phrases-hint" className="hint">
              Things the patient says in their own words, one per line, at least 3.
            </p>
            <FieldError id="phrases-error" messages={fieldErrors['persona.phrases']} />
          </div>
        </fieldset>

        <EmotionalStateEditor
          state={persona.emotionalState}
          onChange={(state) => setPersona('emotionalState', state)}
          errors={fieldErrors['persona.emotionalState']}
          focus={focus}
        />

        <fieldset aria-describedby={fieldErrors['persona.hiddenFacts'] ? 'facts-error' : undefined}>
          <legend>Hidden facts</legend>
          <p className="hint">Disclosed only when the learner asks about them (any of the trigger words). 2 to 12 facts.</p>
          <FieldError id="facts-error" messages={fieldErrors['persona.hiddenFacts']} />
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
                onClick={() => {
                  setPersona('hiddenFacts', persona.hiddenFacts.filter((_, j) => j !== i));
                  focus(`fact-${Math.min(i, persona.hiddenFacts.length - 2)}`);
                }}
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
              focus(`fact-${persona.hiddenFacts.length}`);
            }}
          >
            Add hidden fact
          </button>
        </fieldset>

        <fieldset>
          <legend>Dialogue flow</legend>
          <div className="field">
            <label htmlFor="opening-line">Opening line</label>
            <textarea
              id="opening-line"
              rows={2}
              required
              value={doc.flow.openingLine}
              onChange={(e) => setFlow('openingLine', e.target.value)}
              {...invalidProps(fieldErrors['flow.openingLine'], 'opening-line-error')}
            />
            <FieldError id="opening-line-error" messages={fieldErrors['flow.openingLine']} />
          </div>
          <TopicsEditor rows={doc.flow.topics} onChange={(topics) => setFlow('topics', topics)} errors={fieldErrors['flow.topics']} focus={focus} />
          <BranchesEditor
            rows={doc.flow.branches}
            onChange={(branches) => setFlow('branches', branches)}
            errors={fieldErrors['flow.branches']}
            focus={focus}
          />
        </fieldset>

        <RubricEditor
          items={doc.contentItems}
          onChange={(items) => setField('contentItems', items)}
          essentials={lookups.data?.essentials}
          errors={fieldErrors.contentItems}
          focus={focus}
        />

        {problem?.kind === 'stale' && (
          <div className="alert" role="alert" tabIndex={-1} ref={summary}>
            <p>Someone else changed this draft; reload to see their changes. Reloading replaces your unsaved edits.</p>
            <button type="button" onClick={() => void onReload()} disabled={busy !== null}>
              Reload
            </button>
          </div>
        )}
        {problem?.kind === 'invalid' && (
          <div className="alert error-summary" role="alert" tabIndex={-1} ref={summary}>
            <p className="error-summary-title">The draft was not saved. Fix these and try again:</p>
            <ul>
              {problem.messages.map((m, i) => {
                const target = m.field ? fieldTargets[m.field] : undefined;
                return (
                  <li key={i}>
                    {target ? (
                      <a
                        href={`#${target}`}
                        onClick={(e) => {
                          e.preventDefault();
                          document.getElementById(target)?.focus();
                        }}
                      >
                        {m.text}
                      </a>
                    ) : (
                      m.text
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        )}
        {problem?.kind === 'other' && <ErrorAlert error={problem.error} />}
        <div className="actions sticky-actions">
          <button type="submit" disabled={busy !== null}>
            Save draft
          </button>
          <button type="button" onClick={() => void onPublish()} disabled={busy !== null}>
            Publish
          </button>
          <button
            type="button"
            className="secondary"
            ref={previewButton}
            aria-expanded={previewing}
            onClick={() => (previewing ? closePreview() : setPreviewing(true))}
          >
            Preview
          </button>
          <p role="status" className="status-text">
            {busy === 'save' ? 'Saving…' : busy === 'publish' ? 'Publishing…' : busy === 'reload' ? 'Reloading…' : status}
          </p>
        </div>
      </form>
    </>
  );
}

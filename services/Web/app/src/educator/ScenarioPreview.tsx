import { useEffect, useRef } from 'react';
import type { EditableScenarioDocument } from '../api/types';

interface ScenarioPreviewProps {
  doc: EditableScenarioDocument;
  clinicalAreaName: string;
  frameworkName: string;
  essentialsCount: number;
  onClose(): void;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The draft as it is on screen: first the brief exactly as far as learners get it (the content API's "learner" view:
 * no hidden facts, history, patient script, branches or content items), then, apart, what only staff see.
 */
export function ScenarioPreview({ doc, clinicalAreaName, frameworkName, essentialsCount, onClose }: ScenarioPreviewProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const p = doc.persona;
  const topics = doc.flow.topics.filter((t) => t.description.trim());

  return (
    <section
      className="preview"
      aria-labelledby="preview-heading"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="preview-bar">
        <h2 id="preview-heading" tabIndex={-1} ref={heading}>
          Preview
        </h2>
        <button type="button" className="secondary" onClick={onClose}>
          Close preview
        </button>
      </div>
      <p className="hint">The draft as it is on screen, saved or not.</p>

      <section className="preview-learner" aria-labelledby="preview-learner-heading">
        <h3 id="preview-learner-heading">What learners see</h3>
        <h4 className="preview-title">{doc.title}</h4>
        <p className="meta">
          {clinicalAreaName} · {capitalise(doc.difficulty)} · {frameworkName} · about {doc.estimatedMinutes} minutes · {doc.setting}
        </p>
        <p className="lead">{doc.summary}</p>
        <h5>Your patient</h5>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{p.name}</dd>
          <dt>Age</dt>
          <dd>{p.age}</dd>
          <dt>Occupation</dt>
          <dd>{p.occupation}</dd>
          <dt>Presenting complaint</dt>
          <dd>{p.presentingComplaint}</dd>
        </dl>
        <p>{p.background}</p>
        <h5>Learning objectives</h5>
        <ul>
          {doc.learningObjectives.filter((o) => o.trim()).map((o, i) => (
            <li key={i}>{o}</li>
          ))}
        </ul>
        {topics.length > 0 && (
          <>
            <h5>Topics to cover</h5>
            <ul>
              {topics.map((t, i) => (
                <li key={i}>{t.description}</li>
              ))}
            </ul>
          </>
        )}
        <h5>How you will be assessed</h5>
        <p>
          Against the {essentialsCount} consultation essentials
          {doc.contentItems.length > 0 ? ` and ${doc.contentItems.length} items specific to this scenario` : ''}.
        </p>
      </section>

      <section className="preview-staff" aria-labelledby="preview-staff-heading">
        <h3 id="preview-staff-heading">Only you see this</h3>
        <p className="hint">Educators and admins only: learners never receive these, before, during or after practice (content items appear in their report).</p>
        <h4>Hidden facts</h4>
        <ol>
          {p.hiddenFacts.map((f, i) => (
            <li key={i}>
              <p className="preview-fact">{f.fact}</p>
              <p className="preview-detail">
                Disclosed when: {f.disclosedWhen}. Trigger words: {f.triggers.length > 0 ? f.triggers.join(', ') : 'none'}.
              </p>
            </li>
          ))}
        </ol>
        <h4>Emotional state</h4>
        <p>Starts: {p.emotionalState.initial}</p>
        <ul>
          {p.emotionalState.changes.map((c, i) => (
            <li key={i}>
              When the learner {c.trigger}, becomes {c.becomes}.
            </li>
          ))}
        </ul>
        <h4>Dialogue flow</h4>
        <p>Opening line: “{doc.flow.openingLine}”</p>
        <h5>Topics</h5>
        <ol>
          {doc.flow.topics.map((t, i) => (
            <li key={i}>
              <code>{t.code}</code> {t.description}
              {t.examplePhrasings.some((x) => x.trim()) && (
                <ul>
                  {t.examplePhrasings
                    .filter((x) => x.trim())
                    .map((x, j) => (
                      <li key={j}>“{x}”</li>
                    ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
        <h5>Branches</h5>
        <ol>
          {doc.flow.branches.map((b, i) => (
            <li key={i}>
              When {b.when}, the patient becomes {b.patientState}: “{b.patientResponse}”
            </li>
          ))}
        </ol>
        <h4>Content items</h4>
        <ol>
          {doc.contentItems.map((c, i) => (
            <li key={i}>
              <code>{c.code}</code> {c.description} ({c.frameworkReference}; weight {c.weight})
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}

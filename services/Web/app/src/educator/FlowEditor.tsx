import type { EmotionalState, FlowBranch, FlowTopic } from '../api/types';
import { FieldError, freshCode, removeAt, replaceAt } from './editorFields';

// The content API's limits (services/Content/Model/ScenarioDocument.cs).
const minTopics = 3;
const maxTopics = 20;

interface RowsProps<T> {
  rows: T[];
  onChange(rows: T[]): void;
  errors: string[] | undefined;
  focus(id: string): void;
}

/** Where focus goes once row `index` of `count` is removed: the row now in its place, the one before, or the add button. */
function focusAfterRemoval(focus: (id: string) => void, index: number, count: number, firstFieldId: (i: number) => string, addButtonId: string) {
  const remaining = count - 1;
  focus(remaining === 0 ? addButtonId : firstFieldId(Math.min(index, remaining - 1)));
}

export function TopicsEditor({ rows: topics, onChange, errors, focus }: RowsProps<FlowTopic>) {
  const codeId = (i: number) => `topic-code-${i}`;
  const phrasingId = (i: number, j: number) => `topic-${i}-phrasing-${j}`;
  const setTopic = (i: number, update: Partial<FlowTopic>) => onChange(replaceAt(topics, i, update));
  const move = (i: number, by: -1 | 1) => {
    const next = [...topics];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    onChange(next);
    // Keep focus on the moved topic's button, or its other one once it reaches the end (a disabled button takes no focus).
    const to = i + by;
    const atEnd = by < 0 ? to === 0 : to === topics.length - 1;
    focus(`topic-move-${(by < 0) !== atEnd ? 'up' : 'down'}-${to}`);
  };

  return (
    <fieldset aria-describedby={['topics-hint', errors ? 'topics-error' : ''].filter(Boolean).join(' ')}>
      <legend>Topics</legend>
      <p id="topics-hint" className="hint">
        What the learner is expected to cover, in a sensible order: {minTopics} to {maxTopics} topics, each with a snake_case code, a
        description learners see, and example phrasings (only you see them).
      </p>
      <FieldError id="topics-error" messages={errors} />
      {topics.map((topic, i) => {
        const n = i + 1;
        return (
          <fieldset key={i} className="fact row">
            <legend>Topic {n}</legend>
            <div className="field-row">
              <div className="field">
                <label htmlFor={codeId(i)}>Topic {n} code</label>
                <input id={codeId(i)} value={topic.code} spellCheck={false} onChange={(e) => setTopic(i, { code: e.target.value })} />
              </div>
              <div className="field grow">
                <label htmlFor={`topic-description-${i}`}>Topic {n} description</label>
                <input id={`topic-description-${i}`} value={topic.description} onChange={(e) => setTopic(i, { description: e.target.value })} />
              </div>
            </div>
            <div className="phrasings">
              {topic.examplePhrasings.map((phrasing, j) => (
                <div key={j} className="inline-field">
                  <div className="field grow">
                    <label htmlFor={phrasingId(i, j)}>
                      Topic {n} example phrasing {j + 1}
                    </label>
                    <input
                      id={phrasingId(i, j)}
                      value={phrasing}
                      onChange={(e) => setTopic(i, { examplePhrasings: topic.examplePhrasings.map((p, k) => (k === j ? e.target.value : p)) })}
                    />
                  </div>
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => {
                      setTopic(i, { examplePhrasings: removeAt(topic.examplePhrasings, j) });
                      focusAfterRemoval(focus, j, topic.examplePhrasings.length, (k) => phrasingId(i, k), `topic-add-phrasing-${i}`);
                    }}
                  >
                    Remove example phrasing {j + 1} of topic {n}
                  </button>
                </div>
              ))}
            </div>
            <div className="row-actions">
              <button
                type="button"
                id={`topic-add-phrasing-${i}`}
                className="secondary small"
                onClick={() => {
                  setTopic(i, { examplePhrasings: [...topic.examplePhrasings, ''] });
                  focus(phrasingId(i, topic.examplePhrasings.length));
                }}
              >
                Add example phrasing to topic {n}
              </button>
              <button type="button" id={`topic-move-up-${i}`} className="secondary small" disabled={i === 0} onClick={() => move(i, -1)}>
                Move topic {n} up
              </button>
              <button
                type="button"
                id={`topic-move-down-${i}`}
                className="secondary small"
                disabled={i === topics.length - 1}
                onClick={() => move(i, 1)}
              >
                Move topic {n} down
              </button>
              <button
                type="button"
                className="secondary small"
                disabled={topics.length <= minTopics}
                onClick={() => {
                  onChange(removeAt(topics, i));
                  focusAfterRemoval(focus, i, topics.length, codeId, 'add-topic');
                }}
              >
                Remove topic {n}
              </button>
            </div>
          </fieldset>
        );
      })}
      <button
        type="button"
        id="add-topic"
        className="secondary"
        disabled={topics.length >= maxTopics}
        onClick={() => {
          onChange([...topics, { code: freshCode('topic', topics.map((t) => t.code)), description: '', examplePhrasings: [''] }]);
          focus(codeId(topics.length));
        }}
      >
        Add topic
      </button>
    </fieldset>
  );
}

export function BranchesEditor({ rows: branches, onChange, errors, focus }: RowsProps<FlowBranch>) {
  const whenId = (i: number) => `branch-when-${i}`;
  const setBranch = (i: number, update: Partial<FlowBranch>) => onChange(replaceAt(branches, i, update));
  return (
    <fieldset aria-describedby={['branches-hint', errors ? 'branches-error' : ''].filter(Boolean).join(' ')}>
      <legend>Branches</legend>
      <p id="branches-hint" className="hint">
        Moments that change the patient: when the learner does something, the patient's state and what they say. At least one.
      </p>
      <FieldError id="branches-error" messages={errors} />
      {branches.map((branch, i) => {
        const n = i + 1;
        return (
          <fieldset key={i} className="fact row">
            <legend>Branch {n}</legend>
            <div className="field">
              <label htmlFor={whenId(i)}>Branch {n} when</label>
              <input id={whenId(i)} value={branch.when} placeholder="the learner …" onChange={(e) => setBranch(i, { when: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`branch-state-${i}`}>Branch {n} patient state</label>
              <input id={`branch-state-${i}`} value={branch.patientState} onChange={(e) => setBranch(i, { patientState: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`branch-response-${i}`}>Branch {n} patient response</label>
              <textarea
                id={`branch-response-${i}`}
                rows={2}
                value={branch.patientResponse}
                onChange={(e) => setBranch(i, { patientResponse: e.target.value })}
              />
            </div>
            <button
              type="button"
              className="secondary small"
              disabled={branches.length <= 1}
              onClick={() => {
                onChange(removeAt(branches, i));
                focusAfterRemoval(focus, i, branches.length, whenId, 'add-branch');
              }}
            >
              Remove branch {n}
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        id="add-branch"
        className="secondary"
        onClick={() => {
          onChange([...branches, { when: '', patientState: '', patientResponse: '' }]);
          focus(whenId(branches.length));
        }}
      >
        Add branch
      </button>
    </fieldset>
  );
}

interface EmotionalStateProps {
  state: EmotionalState;
  onChange(state: EmotionalState): void;
  errors: string[] | undefined;
  focus(id: string): void;
}

export function EmotionalStateEditor({ state, onChange, errors, focus }: EmotionalStateProps) {
  const triggerId = (i: number) => `emotion-trigger-${i}`;
  const changes = state.changes;
  const setChanges = (next: EmotionalState['changes']) => onChange({ ...state, changes: next });
  return (
    <fieldset aria-describedby={errors ? 'emotion-error' : undefined}>
      <legend>Emotional state</legend>
      <FieldError id="emotion-error" messages={errors} />
      <div className="field">
        <label htmlFor="emotion-initial">Initial emotional state</label>
        <input id="emotion-initial" value={state.initial} onChange={(e) => onChange({ ...state, initial: e.target.value })} />
      </div>
      {changes.map((change, i) => {
        const n = i + 1;
        return (
          <fieldset key={i} className="fact row">
            <legend>Change {n}</legend>
            <div className="field-row">
              <div className="field grow">
                <label htmlFor={triggerId(i)}>Change {n} trigger</label>
                <input
                  id={triggerId(i)}
                  value={change.trigger}
                  placeholder="the learner …"
                  onChange={(e) => setChanges(replaceAt(changes, i, { trigger: e.target.value }))}
                />
              </div>
              <div className="field grow">
                <label htmlFor={`emotion-becomes-${i}`}>Change {n} becomes</label>
                <input
                  id={`emotion-becomes-${i}`}
                  value={change.becomes}
                  onChange={(e) => setChanges(replaceAt(changes, i, { becomes: e.target.value }))}
                />
              </div>
            </div>
            <button
              type="button"
              className="secondary small"
              disabled={changes.length <= 1}
              onClick={() => {
                setChanges(removeAt(changes, i));
                focusAfterRemoval(focus, i, changes.length, triggerId, 'add-emotion-change');
              }}
            >
              Remove change {n}
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        id="add-emotion-change"
        className="secondary"
        onClick={() => {
          setChanges([...changes, { trigger: '', becomes: '' }]);
          focus(triggerId(changes.length));
        }}
      >
        Add emotional change
      </button>
    </fieldset>
  );
}


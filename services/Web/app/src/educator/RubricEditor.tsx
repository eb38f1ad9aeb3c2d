import type { RubricItemDocument } from '../api/types';
import { FieldError, freshCode, removeAt, replaceAt } from './editorFields';

// The content API's limits (services/Content/Model/ScenarioDocument.cs).
const minItems = 3;
const maxItems = 20;

interface RubricEditorProps {
  items: RubricItemDocument[];
  onChange(items: RubricItemDocument[]): void;
  /** The sixteen consultation essentials every scenario is scored against; undefined while loading. */
  essentials: RubricItemDocument[] | undefined;
  errors: string[] | undefined;
  focus(id: string): void;
}

export function RubricEditor({ items, onChange, essentials, errors, focus }: RubricEditorProps) {
  const codeId = (i: number) => `item-code-${i}`;
  const setItem = (i: number, update: Partial<RubricItemDocument>) => onChange(replaceAt(items, i, update));
  return (
    <fieldset>
      <legend>Rubric</legend>
      <details className="essentials">
        <summary>Default rubric: the {essentials?.length ?? 16} consultation essentials (every scenario, not editable)</summary>
        {essentials === undefined ? (
          <p className="muted">Loading…</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Consultation essentials</caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Description</th>
                  <th scope="col">Framework reference</th>
                  <th scope="col">Weight</th>
                </tr>
              </thead>
              <tbody>
                {essentials.map((e) => (
                  <tr key={e.code}>
                    <td>
                      <code>{e.code}</code>
                    </td>
                    <td>{e.description}</td>
                    <td>{e.frameworkReference}</td>
                    <td>{e.weight}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>

      <fieldset aria-describedby={['items-hint', errors ? 'items-error' : ''].filter(Boolean).join(' ')}>
        <legend>Content items</legend>
        <p id="items-hint" className="hint">
          What a competent learner should do or find out in this scenario, beyond the essentials: {minItems} to {maxItems} items, each
          with a snake_case code (not an essential's), a description, a framework reference and a weight above 0 and at most 5. Learners
          see them only in their feedback report.
        </p>
        <FieldError id="items-error" messages={errors} />
        {items.map((item, i) => {
          const n = i + 1;
          return (
            <fieldset key={i} className="fact row">
              <legend>Content item {n}</legend>
              <div className="field-row">
                <div className="field grow">
                  <label htmlFor={codeId(i)}>Content item {n} code</label>
                  <input id={codeId(i)} value={item.code} spellCheck={false} onChange={(e) => setItem(i, { code: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`item-weight-${i}`}>Content item {n} weight</label>
                  <input
                    id={`item-weight-${i}`}
                    type="number"
                    min={0.1}
                    max={5}
                    step={0.1}
                    className="narrow-number"
                    value={Number.isFinite(item.weight) ? item.weight : ''}
                    onChange={(e) => setItem(i, { weight: Number(e.target.value) })}
                  />
                </div>
              </div>
              <div className="field">
                <label htmlFor={`item-description-${i}`}>Content item {n} description</label>
                <textarea
                  id={`item-description-${i}`}
                  rows={2}
                  value={item.description}
                  onChange={(e) => setItem(i, { description: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`item-reference-${i}`}>Content item {n} framework reference</label>
                <input
                  id={`item-reference-${i}`}
                  value={item.frameworkReference}
                  onChange={(e) => setItem(i, { frameworkReference: e.target.value })}
                />
              </div>
              <button
                type="button"
                className="secondary small"
                disabled={items.length <= minItems}
                onClick={() => {
                  onChange(removeAt(items, i));
                  const remaining = items.length - 1;
                  focus(remaining === 0 ? 'add-content-item' : codeId(Math.min(i, remaining - 1)));
                }}
              >
                Remove content item {n}
              </button>
            </fieldset>
          );
        })}
        <button
          type="button"
          id="add-content-item"
          className="secondary"
          disabled={items.length >= maxItems}
          onClick={() => {
            const used = [...items.map((it) => it.code), ...(essentials ?? []).map((e) => e.code)];
            onChange([...items, { code: freshCode('item', used), description: '', frameworkReference: '', weight: 1 }]);
            focus(codeId(items.length));
          }}
        >
          Add content item
        </button>
      </fieldset>
    </fieldset>
  );
}

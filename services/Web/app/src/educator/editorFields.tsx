import { useCallback, useEffect, useState } from 'react';

/**
 * The document members the content API names in its validation errors, most specific first. A JSON error's path
 * ("$.flow.topics[2].code") maps to the member it is under.
 */
const errorFields = [
  'slug',
  'title',
  'summary',
  'setting',
  'clinicalArea',
  'framework',
  'difficulty',
  'estimatedMinutes',
  'learningObjectives',
  'tags',
  'focusItems',
  'persona.englishProficiency',
  'persona.hiddenFacts',
  'persona.phrases',
  'persona.emotionalState',
  'persona',
  'flow.openingLine',
  'flow.topics',
  'flow.branches',
  'flow',
  'contentItems',
] as const;

export type ErrorField = (typeof errorFields)[number];

export function errorFieldOf(key: string): ErrorField | undefined {
  const path = key.replace(/^\$\.?/, '').replace(/\[\d+\]/g, '').toLowerCase();
  return errorFields.find((field) => path === field.toLowerCase() || path.startsWith(`${field.toLowerCase()}.`));
}

/** The API's field errors grouped by the editor field that shows them. */
export type FieldErrors = Partial<Record<ErrorField, string[]>>;

export function groupFieldErrors(errors: Record<string, string[]>): FieldErrors {
  const grouped: FieldErrors = {};
  for (const [key, messages] of Object.entries(errors)) {
    const field = errorFieldOf(key);
    if (field) grouped[field] = [...(grouped[field] ?? []), ...messages];
  }
  return grouped;
}

/** A field's error messages, shown under it; the field points at them with aria-describedby. */
export function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <p id={id} className="field-error">
      {messages.join(' ')}
    </p>
  );
}

/** aria-invalid and aria-describedby for a control whose errors (if any) are in the element with errorId. */
export function invalidProps(messages: string[] | undefined, errorId: string, hintId?: string) {
  const invalid = !!messages && messages.length > 0;
  const describedBy = [hintId, invalid ? errorId : undefined].filter(Boolean).join(' ');
  return { 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy || undefined };
}

/** Moves focus to an element by id once the next render has put it in the page (a newly added row's first field). */
export function useFocusAfterRender(): (id: string) => void {
  const [target, setTarget] = useState<string | null>(null);
  useEffect(() => {
    if (target) {
      document.getElementById(target)?.focus();
      setTarget(null);
    }
  }, [target]);
  return useCallback((id: string) => setTarget(id), []);
}

/** A code not used yet: prefix_1, prefix_2, ... */
export function freshCode(prefix: string, used: Iterable<string>): string {
  const taken = new Set(used);
  let n = 1;
  while (taken.has(`${prefix}_${n}`)) n++;
  return `${prefix}_${n}`;
}

export function replaceAt<T>(items: T[], index: number, update: Partial<T>): T[] {
  return items.map((item, i) => (i === index ? { ...item, ...update } : item));
}

export function removeAt<T>(items: T[], index: number): T[] {
  return items.filter((_, i) => i !== index);
}

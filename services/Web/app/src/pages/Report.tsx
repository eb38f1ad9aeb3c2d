import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, get, post, request } from '../api/client';
import { scenarioTitle } from '../api/lookups';
import type { FeedbackReport, PracticeSession, ReportItem, TranscriptTurn } from '../api/types';
import { hasRole, useAuth } from '../auth';
import { ErrorAlert, formatDate, Loading, useDocumentTitle } from '../components/common';

const ratingWords = ['', 'Poor', 'Needs work', 'Satisfactory', 'Good', 'Excellent'];

interface Loaded {
  report: FeedbackReport;
  session: PracticeSession;
  title: string;
  turns: TranscriptTurn[];
}

type ReportState = { kind: 'loading' } | { kind: 'preparing' } | { kind: 'error'; error: unknown } | { kind: 'ready'; data: Loaded };

/** Polls the report while it is being made (202, or 404 for the moment between ending and the report opening). */
function useReport(sessionId: string): [ReportState, (report: FeedbackReport) => void] {
  const [state, setState] = useState<ReportState>({ kind: 'loading' });

  useEffect(() => {
    let cancelled = false;
    let timer: number | undefined;
    const started = Date.now();

    async function poll() {
      try {
        const response = await request<FeedbackReport>('ai', `/v1/ai/feedback/${sessionId}`);
        if (cancelled) return;
        if (response.status === 202 || response.data.status === 'pending') {
          setState({ kind: 'preparing' });
          timer = window.setTimeout(poll, 1000);
          return;
        }
        const [session, transcript] = await Promise.all([
          get<PracticeSession>('sessions', `/v1/sessions/${sessionId}`),
          get<{ turns: TranscriptTurn[] }>('realtime', `/v1/realtime/sessions/${sessionId}/transcript`),
        ]);
        const title = await scenarioTitle(session.scenarioId);
        if (!cancelled) setState({ kind: 'ready', data: { report: response.data, session, title, turns: transcript.turns } });
      } catch (error) {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 404 && Date.now() - started < 60_000) {
          // The session may have just ended: the report opens once ai hears of it.
          const session = await get<PracticeSession>('sessions', `/v1/sessions/${sessionId}`).catch(() => null);
          if (cancelled) return;
          if (session?.status === 'active') {
            setState({ kind: 'error', error: 'This session is still in progress: end it to get your feedback.' });
            return;
          }
          if (session) {
            setState({ kind: 'preparing' });
            timer = window.setTimeout(poll, 1000);
            return;
          }
        }
        setState({ kind: 'error', error });
      }
    }

    void poll();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [sessionId]);

  const replace = (report: FeedbackReport) =>
    setState((current) => (current.kind === 'ready' ? { kind: 'ready', data: { ...current.data, report } } : current));
  return [state, replace];
}

export function ReportPage() {
  useDocumentTitle('Feedback report');
  const { sessionId = '' } = useParams();
  const [state, replaceReport] = useReport(sessionId);

  if (state.kind === 'loading') return <Loading />;
  if (state.kind === 'preparing') {
    return (
      <>
        <h1>Feedback report</h1>
        <p role="status" className="preparing">
          Preparing your feedback… this usually takes a few seconds.
        </p>
      </>
    );
  }
  if (state.kind === 'error') {
    return (
      <>
        <h1>Feedback report</h1>
        <ErrorAlert error={state.error} />
      </>
    );
  }
  return <Report data={state.data} onReport={replaceReport} />;
}

function Report({ data, onReport }: { data: Loaded; onReport: (report: FeedbackReport) => void }) {
  const { user } = useAuth();
  const { report, session, title, turns } = data;
  const canOverride = hasRole(user, 'educator', 'institution-admin') && user?.id !== session.learnerId;
  const essentials = report.items.filter((i) => i.kind !== 'content');
  const content = report.items.filter((i) => i.kind === 'content');

  if (report.status === 'failed') {
    return (
      <>
        <h1>Feedback report</h1>
        <ErrorAlert error={`The feedback could not be produced: ${report.failureReason ?? 'unknown reason'}.`} />
      </>
    );
  }

  return (
    <div className="report">
      <h1>Feedback report</h1>
      <p className="meta">
        {title} · ended {formatDate(session.endedAt)}
        {report.revision > 1 ? ` · revised (revision ${report.revision})` : ''}
      </p>
      <section className="summary-panel" aria-labelledby="rating-heading">
        <h2 id="rating-heading">Global rating</h2>
        <p className="rating">
          <strong>{report.globalRating ?? '—'}</strong> out of 5{report.globalRating ? ` (${ratingWords[report.globalRating]})` : ''}
        </p>
        {report.comparison && report.comparison.previousAttempts > 0 && (
          <p>
            Compared with your {report.comparison.previousAttempts} earlier{' '}
            {report.comparison.previousAttempts === 1 ? 'attempt' : 'attempts'}:{' '}
            {report.comparison.globalRatingChange === null
              ? 'no earlier rating.'
              : report.comparison.globalRatingChange > 0
                ? `up ${report.comparison.globalRatingChange}.`
                : report.comparison.globalRatingChange < 0
                  ? `down ${-report.comparison.globalRatingChange}.`
                  : 'the same rating.'}
          </p>
        )}
        <div className="two-col">
          {report.strengths.length > 0 && (
            <div>
              <h3>Strengths</h3>
              <ul>
                {report.strengths.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            </div>
          )}
          {report.goals.length > 0 && (
            <div>
              <h3>Goals</h3>
              <ul>
                {report.goals.map((g) => (
                  <li key={g}>{g}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
      </section>
      <div className="report-body">
        <div className="items">
          <section aria-labelledby="essentials-heading">
            <h2 id="essentials-heading">Consultation essentials</h2>
            {essentials.map((item) => (
              <ItemArticle key={item.code} item={item} sessionId={session.id} canOverride={canOverride} onReport={onReport} />
            ))}
          </section>
          {content.length > 0 && (
            <section aria-labelledby="content-heading">
              <h2 id="content-heading">This scenario</h2>
              {content.map((item) => (
                <ItemArticle key={item.code} item={item} sessionId={session.id} canOverride={canOverride} onReport={onReport} />
              ))}
            </section>
          )}
        </div>
        <TranscriptView turns={turns} items={report.items} />
      </div>
      <p>
        <Link to="/progress">See your progress</Link>
      </p>
    </div>
  );
}

function ItemArticle({
  item,
  sessionId,
  canOverride,
  onReport,
}: {
  item: ReportItem;
  sessionId: string;
  canOverride: boolean;
  onReport: (report: FeedbackReport) => void;
}) {
  const [editing, setEditing] = useState(false);
  const effective = item.override?.present ?? item.present;
  const headingId = `item-${item.code}`;
  return (
    <article className={`item ${effective ? 'item-present' : 'item-absent'}`} aria-labelledby={headingId}>
      <header className="item-header">
        <h3 id={headingId}>{item.title}</h3>
        <span className={`badge ${item.present ? 'badge-present' : 'badge-absent'}`}>{item.present ? 'Present' : 'Absent'}</span>
      </header>
      {item.evidence.length > 0 && (
        <ul className="evidence" aria-label={`Evidence for ${item.title}`}>
          {item.evidence.map((e, i) => (
            <li key={i}>
              <q>{e.quote}</q> <span className="muted">(turn {e.turn + 1})</span>
            </li>
          ))}
        </ul>
      )}
      {item.missedOpportunity && (
        <p className="missed">
          <strong>Missed opportunity:</strong> {item.missedOpportunity.note}
          {item.missedOpportunity.cue ? (
            <>
              {' '}
              The patient said <q>{item.missedOpportunity.cue}</q>
            </>
          ) : null}
        </p>
      )}
      {item.suggestion && (
        <p className="suggestion">
          <strong>Try saying:</strong> {item.suggestion}
        </p>
      )}
      {item.override && (
        <div className="override">
          <p>
            <strong>Educator override: {item.override.present ? 'Present' : 'Absent'}</strong>
            {item.override.byName ? ` by ${item.override.byName}` : ''} on {formatDate(item.override.at)}
          </p>
          <p>Reason: {item.override.reason}</p>
        </div>
      )}
      {canOverride && !editing && (
        <button type="button" className="secondary small" onClick={() => setEditing(true)}>
          Override {item.title}
        </button>
      )}
      {canOverride && editing && (
        <OverrideForm
          item={item}
          sessionId={sessionId}
          onCancel={() => setEditing(false)}
          onSaved={(report) => {
            setEditing(false);
            onReport(report);
          }}
        />
      )}
    </article>
  );
}

function OverrideForm({
  item,
  sessionId,
  onCancel,
  onSaved,
}: {
  item: ReportItem;
  sessionId: string;
  onCancel: () => void;
  onSaved: (report: FeedbackReport) => void;
}) {
  const [present, setPresent] = useState<boolean>(!(item.override?.present ?? item.present));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const name = `override-${item.code}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await post<FeedbackReport>('ai', `/v1/ai/feedback/${sessionId}/items/${encodeURIComponent(item.code)}/override`, { present, reason }));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <form className="override-form stack" onSubmit={submit}>
      <fieldset>
        <legend>Override {item.title}</legend>
        <label className="inline">
          <input type="radio" name={name} checked={present} onChange={() => setPresent(true)} /> Present
        </label>
        <label className="inline">
          <input type="radio" name={name} checked={!present} onChange={() => setPresent(false)} /> Absent
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${name}-reason`}>Reason</label>
        <textarea id={`${name}-reason`} rows={2} required minLength={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save override
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

interface Range {
  start: number;
  end: number;
  codes: string[];
}

/** The ranges of a turn's text that evidence quotes cite, merged where they overlap. */
function evidenceRanges(turn: TranscriptTurn, quotes: { quote: string; code: string }[]): Range[] {
  const ranges: Range[] = [];
  const lower = turn.text.toLowerCase();
  for (const { quote, code } of quotes) {
    const at = lower.indexOf(quote.toLowerCase());
    if (at >= 0) ranges.push({ start: at, end: at + quote.length, codes: [code] });
  }
  ranges.sort((a, b) => a.start - b.start);
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) {
      last.end = Math.max(last.end, range.end);
      last.codes = [...new Set([...last.codes, ...range.codes])];
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

function TranscriptView({ turns, items }: { turns: TranscriptTurn[]; items: ReportItem[] }) {
  // Each quote belongs to its cited turn; if the text is not there, to the first clinician turn that has it.
  const byTurn = new Map<number, { quote: string; code: string }[]>();
  const titles = Object.fromEntries(items.map((i) => [i.code, i.title]));
  for (const item of items) {
    for (const evidence of item.evidence) {
      const quote = evidence.quote.trim();
      if (!quote) continue;
      const contains = (t: TranscriptTurn) => t.text.toLowerCase().includes(quote.toLowerCase());
      const cited = turns.find((t) => t.index === evidence.turn);
      const turn = cited && contains(cited) ? cited : turns.find((t) => t.speaker === 'clinician' && contains(t));
      if (!turn) continue;
      const list = byTurn.get(turn.index) ?? [];
      list.push({ quote, code: item.code });
      byTurn.set(turn.index, list);
    }
  }

  return (
    <section className="transcript" aria-label="Transcript">
      <h2>Transcript</h2>
      {turns.length === 0 ? (
        <p className="empty">Nothing was said in this session.</p>
      ) : (
        <ol className="turns">
          {turns.map((turn) => {
            const ranges = evidenceRanges(turn, byTurn.get(turn.index) ?? []);
            const parts: ReactNode[] = [];
            let position = 0;
            for (const range of ranges) {
              if (range.start > position) parts.push(turn.text.slice(position, range.start));
              parts.push(
                <mark key={range.start} title={range.codes.map((c) => titles[c]).join(', ')}>
                  {turn.text.slice(range.start, range.end)}
                </mark>,
              );
              position = range.end;
            }
            if (position < turn.text.length) parts.push(turn.text.slice(position));
            return (
              <li key={turn.index} className={`turn turn-${turn.speaker}`} value={turn.index + 1}>
                <span className="speaker">{turn.speaker === 'clinician' ? 'You' : 'Patient'}:</span> {parts}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

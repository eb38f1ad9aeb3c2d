import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { get, post } from '../api/client';
import { scenarioTitle } from '../api/lookups';
import type { PracticeSession } from '../api/types';
import { ErrorAlert, Loading, useAsync, useDocumentTitle } from '../components/common';
import { Conversation, realtimeUrlFor, type ConnectionState } from '../realtime/conversation';

const stateText: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting… your messages are kept and will be sent',
  closed: 'Disconnected',
};

export function PracticePage() {
  useDocumentTitle('Practice');
  const { sessionId = '' } = useParams();
  const session = useAsync(async (signal) => {
    const details = await get<PracticeSession>('sessions', `/v1/sessions/${sessionId}`, signal);
    return { details, title: await scenarioTitle(details.scenarioId) };
  }, [sessionId]);

  return (
    <>
      <h1>Practice</h1>
      {session.loading ? (
        <Loading />
      ) : session.error || !session.data ? (
        <ErrorAlert error={session.error} />
      ) : session.data.details.status !== 'active' ? (
        <p>
          This session is {session.data.details.status}: its conversation is over.{' '}
          <Link to={`/sessions/${sessionId}/report`}>View report</Link>
        </p>
      ) : (
        <Chat sessionId={sessionId} title={session.data.title} />
      )}
    </>
  );
}

function Chat({ sessionId, title }: { sessionId: string; title: string }) {
  const navigate = useNavigate();
  const [conversation] = useState(() => new Conversation(realtimeUrlFor(sessionId)));
  const snapshot = useSyncExternalStore(conversation.subscribe, conversation.getSnapshot);
  const [text, setText] = useState('');
  const [ending, setEnding] = useState(false);
  const [endError, setEndError] = useState<unknown>();
  const logRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    conversation.start();
    return () => conversation.stop();
  }, [conversation]);

  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [snapshot.messages]);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const utterance = text.trim();
    if (!utterance) return;
    conversation.send(utterance);
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  }

  async function end() {
    setEnding(true);
    setEndError(undefined);
    try {
      await post('sessions', `/v1/sessions/${sessionId}/end`);
      conversation.stop();
      navigate(`/sessions/${sessionId}/report`);
    } catch (e) {
      setEndError(e);
      setEnding(false);
    }
  }

  const over = snapshot.state === 'closed';
  const replying = snapshot.messages.some((m) => m.speaker === 'patient' && !m.final);
  return (
    <div className="practice">
      <div className="practice-bar">
        <p className="practice-title">{title}</p>
        <p role="status" className={`connection connection-${snapshot.state}`}>
          <span className="dot" aria-hidden="true" />
          {stateText[snapshot.state]}
        </p>
      </div>
      <div ref={logRef} className="chat-log" role="log" aria-label="Conversation" aria-live="polite" tabIndex={0}>
        {snapshot.messages.length === 0 && <p className="muted empty-chat">Say hello to your patient to begin.</p>}
        {snapshot.messages.map((m) => (
          <div
            key={m.key}
            className={`bubble bubble-${m.speaker}${m.final ? '' : ' bubble-pending'}`}
            data-speaker={m.speaker}
            data-final={m.final ? 'true' : 'false'}
            data-seq={m.seq ?? undefined}
          >
            {m.text}
          </div>
        ))}
      </div>
      {replying && (
        <p className="muted typing" aria-hidden="true">
          The patient is replying…
        </p>
      )}
      {snapshot.error && <ErrorAlert error={snapshot.error.message} />}
      <form className="composer" onSubmit={submit}>
        <label htmlFor="utterance">Your message</label>
        <div className="composer-row">
          <textarea
            id="utterance"
            rows={2}
            maxLength={2000}
            value={text}
            disabled={over}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKeyDown}
            aria-describedby="composer-hint"
          />
          <button type="submit" disabled={over || text.trim().length === 0}>
            Send
          </button>
        </div>
        <p id="composer-hint" className="hint">
          Enter sends; Shift+Enter starts a new line.
        </p>
      </form>
      <div className="actions">
        <button type="button" className="danger" onClick={() => void end()} disabled={ending}>
          End session
        </button>
      </div>
      <ErrorAlert error={endError} />
    </div>
  );
}

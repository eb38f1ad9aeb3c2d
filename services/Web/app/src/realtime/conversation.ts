import { freshAccessToken } from '../api/client';
import { config } from '../api/config';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ChatMessage {
  /** Stable React key: the client message id for the learner's turns, the seq for the patient's. */
  key: string;
  seq: number | null;
  speaker: 'learner' | 'patient';
  text: string;
  /** False while the patient's reply is still streaming, or while the learner's turn is not yet acknowledged. */
  final: boolean;
  clientMessageId?: string;
}

export interface ConversationError {
  code: string;
  message: string;
}

export interface ConversationSnapshot {
  state: ConnectionState;
  messages: ChatMessage[];
  error: ConversationError | null;
  attempt: number;
}

interface ServerFrame {
  type: string;
  seq?: number;
  clientMessageId?: string;
  speaker?: string;
  text?: string;
  code?: string;
  message?: string;
}

const storageKey = (sessionId: string) => `pp.realtimeUrl.${sessionId}`;

export function rememberRealtimeUrl(sessionId: string, url: string): void {
  sessionStorage.setItem(storageKey(sessionId), url);
}

/** The session's WebSocket address: the one POST /v1/sessions gave, or the realtime service's from /config.json. */
export function realtimeUrlFor(sessionId: string): string {
  const base = config().services.realtime;
  let url = sessionStorage.getItem(storageKey(sessionId)) ?? `${base}/v1/realtime/sessions/${sessionId}`;
  if (import.meta.env.DEV) {
    // The dev server proxies the realtime service on its own origin.
    url = `${base}${new URL(url).pathname}`;
  }
  return url.replace(/^http/, 'ws');
}

// Errors after which reconnecting cannot help.
const finalErrors = new Set(['session_ended', 'idle_timeout']);

/**
 * One practice session's conversation over the realtime WebSocket. Keeps every turn once (by seq), resumes after a
 * dropped connection from the last complete turn, and resends an utterance that was not acknowledged, under the same
 * clientMessageId so the server stores it once.
 */
export class Conversation {
  private socket: WebSocket | null = null;
  private messages: ChatMessage[] = [];
  private readonly unacknowledged = new Map<string, string>();
  private state: ConnectionState = 'connecting';
  private error: ConversationError | null = null;
  private attempt = 0;
  private stopped = false;
  private retryTimer: number | undefined;
  private snapshot: ConversationSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly url: string;

  constructor(url: string) {
    this.url = url;
    this.snapshot = this.makeSnapshot();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ConversationSnapshot => this.snapshot;

  start(): void {
    this.stopped = false;
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
    void this.connect();
  }

  // The browser knows the network is gone before the socket does: reconnect as soon as it is back.
  private readonly onOffline = () => this.dropConnection();

  private readonly onOnline = () => {
    if (!this.stopped && !this.socket) {
      window.clearTimeout(this.retryTimer);
      void this.connect();
    }
  };

  stop(): void {
    this.stopped = true;
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    window.clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'left');
    this.socket = null;
    this.setState('closed');
  }

  /** Drops the connection as a network failure would (for trying the reconnection by hand). */
  dropConnection(): void {
    const socket = this.socket;
    if (socket) {
      // Closing may take a while without a network; treat the connection as gone now.
      this.socket = null;
      socket.close(4000, 'dropped by the client');
      if (!this.stopped) this.scheduleReconnect();
    }
  }

  send(text: string): void {
    const clientMessageId = crypto.randomUUID();
    this.unacknowledged.set(clientMessageId, text);
    this.messages = [...this.messages, { key: clientMessageId, seq: null, speaker: 'learner', text, final: false, clientMessageId }];
    this.error = null;
    this.transmit(clientMessageId, text);
    this.publish();
  }

  /** The seq to resume after: everything up to it is complete here. */
  private resumeAfter(): number {
    let after = 0;
    for (const message of this.messages) {
      if (message.seq === null) continue;
      if (!message.final) return Math.max(0, Math.min(after, message.seq - 1));
      after = Math.max(after, message.seq);
    }
    return after;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const token = await freshAccessToken();
    if (this.stopped) return;
    const url = new URL(this.url);
    url.searchParams.set('access_token', token ?? '');
    url.searchParams.set('after', String(this.resumeAfter()));
    const socket = new WebSocket(url);
    this.socket = socket;

    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.setState('open');
      for (const [clientMessageId, text] of this.unacknowledged) {
        this.transmit(clientMessageId, text);
      }
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      try {
        this.receive(JSON.parse(event.data) as ServerFrame);
      } catch {
        // A frame that is not JSON is not ours to handle.
      }
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    this.attempt += 1;
    this.setState('reconnecting');
    const delay = Math.min(10_000, 400 * 2 ** Math.min(this.attempt - 1, 5)) * (0.75 + Math.random() * 0.5);
    this.retryTimer = window.setTimeout(() => void this.connect(), delay);
  }

  private transmit(clientMessageId: string, text: string): void {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: 'utterance', clientMessageId, text }));
    }
  }

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case 'ack':
        if (frame.clientMessageId && typeof frame.seq === 'number') this.acknowledge(frame.clientMessageId, frame.seq);
        break;
      case 'patient.delta':
        if (typeof frame.seq === 'number') this.appendDelta(frame.seq, frame.text ?? '');
        break;
      case 'patient.done':
        if (typeof frame.seq === 'number') this.complete(frame.seq, 'patient', frame.text ?? '');
        break;
      case 'message':
        if (typeof frame.seq === 'number') this.complete(frame.seq, frame.speaker === 'learner' ? 'learner' : 'patient', frame.text ?? '');
        break;
      case 'error':
        this.error = { code: frame.code ?? 'error', message: frame.message ?? 'The conversation reported an error.' };
        if (finalErrors.has(this.error.code)) {
          this.stopped = true;
          this.unacknowledged.clear();
          this.socket?.close(1000, 'over');
          this.setState('closed');
        } else if (this.error.code !== 'token_expired') {
          // The utterance was refused: it will not be acknowledged, so do not resend it.
          const refused = [...this.unacknowledged.keys()].pop();
          if (refused) {
            this.unacknowledged.delete(refused);
            this.messages = this.messages.filter((m) => m.key !== refused || m.seq !== null);
          }
        }
        break;
      default:
        return;
    }
    this.publish();
  }

  private acknowledge(clientMessageId: string, seq: number): void {
    this.unacknowledged.delete(clientMessageId);
    if (this.messages.some((m) => m.seq === seq && m.clientMessageId !== clientMessageId)) {
      // A replay already brought this turn back: keep that one.
      this.messages = this.messages.filter((m) => m.clientMessageId !== clientMessageId);
      return;
    }
    this.messages = this.messages.map((m) => (m.clientMessageId === clientMessageId ? { ...m, seq, final: true } : m));
    this.sort();
  }

  private appendDelta(seq: number, text: string): void {
    const existing = this.messages.find((m) => m.seq === seq);
    if (existing?.final) return;
    if (existing) {
      this.messages = this.messages.map((m) => (m.seq === seq ? { ...m, text: m.text + text } : m));
    } else {
      this.messages = [...this.messages, { key: `seq-${seq}`, seq, speaker: 'patient', text, final: false }];
      this.sort();
    }
  }

  private complete(seq: number, speaker: 'learner' | 'patient', text: string): void {
    if (this.messages.some((m) => m.seq === seq)) {
      this.messages = this.messages.map((m) => (m.seq === seq ? { ...m, text, final: true } : m));
      return;
    }
    if (speaker === 'learner') {
      // Our own turn, stored before its acknowledgement was lost: it is the same turn, not a new one.
      const pending = this.messages.find((m) => m.seq === null && m.speaker === 'learner' && m.text === text);
      if (pending) {
        this.unacknowledged.delete(pending.key);
        this.messages = this.messages.map((m) => (m === pending ? { ...m, seq, final: true } : m));
        this.sort();
        return;
      }
    }
    this.messages = [...this.messages, { key: `seq-${seq}`, seq, speaker, text, final: true }];
    this.sort();
  }

  private sort(): void {
    // Numbered turns in order; turns still waiting for their number stay last.
    this.messages = [...this.messages].sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
  }

  private setState(state: ConnectionState): void {
    if (this.state !== state) {
      this.state = state;
      this.publish();
    }
  }

  private makeSnapshot(): ConversationSnapshot {
    return { state: this.state, messages: this.messages, error: this.error, attempt: this.attempt };
  }

  private publish(): void {
    this.snapshot = this.makeSnapshot();
    this.listeners.forEach((listener) => listener());
  }
}

// The live stream read with fetch() (EventSource cannot send Authorization), parsed as
// server-sent events, resumed with Last-Event-ID after errors.

import { authorized, failure } from './api.js';

const STREAM = '/api/v2/rv-activity-feed/stream';

/** Splits an SSE byte stream into events; calls onEvent({event, id, data}) for each. */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.event = '';
    this.data = [];
    this.id = null;
  }

  push(text) {
    this.buffer += text;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    // the last piece may be a partial line (a trailing \r could still become \r\n)
    this.buffer = lines.pop();
    for (const line of lines) this.line(line);
  }

  line(line) {
    if (line === '') {
      if (this.data.length || this.event) {
        this.onEvent({ event: this.event || 'message', id: this.id, data: this.data.join('\n') });
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

/**
 * A live connection. status(text) reports "Live", "Reconnecting…" or "Paused";
 * onSession(session) gets each changed session; onUnauthorized() a 401.
 */
export class LiveFeed {
  constructor({ onSession, status, onUnauthorized }) {
    this.onSession = onSession;
    this.status = status;
    this.onUnauthorized = onUnauthorized;
    this.lastEventId = null;
    this.controller = null;
    this.retryTimer = null;
    this.backoff = 1000;
    this.running = false;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop() {
    this.running = false;
    clearTimeout(this.retryTimer);
    if (this.controller) this.controller.abort();
    this.controller = null;
    this.status('Paused');
  }

  async connect() {
    if (!this.running) return;
    const controller = new AbortController();
    this.controller = controller;
    const headers = { Accept: 'text/event-stream' };
    if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
    try {
      const response = await fetch(STREAM, authorized({ headers, signal: controller.signal, cache: 'no-store' }));
      if (response.status === 401) {
        this.stop();
        this.onUnauthorized();
        return;
      }
      if (!response.ok) {
        const error = await failure(response);
        if (response.status === 400 && this.lastEventId) {
          // the position is no longer valid; start afresh from now
          this.lastEventId = null;
        }
        throw error;
      }
      this.status('Live');
      this.backoff = 1000;
      const parser = new SseParser((event) => this.dispatch(event));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      throw new Error('stream ended');
    } catch (error) {
      if (!this.running || controller.signal.aborted) return;
      this.status('Reconnecting…');
      const wait = error.retryAfter ? error.retryAfter * 1000 : this.backoff;
      this.backoff = Math.min(this.backoff * 2, 30000);
      // a little jitter so many open consoles do not reconnect in step
      this.retryTimer = setTimeout(() => this.connect(), wait + Math.random() * 250);
    }
  }

  dispatch(event) {
    if (event.id) this.lastEventId = event.id;
    if (event.event !== 'session') return;
    try {
      this.onSession(JSON.parse(event.data));
    } catch {
      // a malformed event changes nothing the next page fetch would not show
    }
  }
}

// Server-Sent Events over fetch: EventSource cannot send an Authorization header. Parses the text/event-stream
// format (https://html.spec.whatwg.org/multipage/server-sent-events.html), reconnects with backoff and Last-Event-ID;
// after a planned end (event: end, KEYWATCH_SSE_MAX_STREAM_SECONDS) at once, without showing a reconnect.
import { authHeaders } from './api.js';

const MAX_LINE = 1 << 20; // a line longer than 1 MiB is not an event keywatch sends: drop the connection

/** Reads a stream body and calls emit({id, event, data}) per event; resolves when the stream ends. */
export async function readEvents(body, emit) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = { data: [], event: '', id: null };
  const line = (text) => {
    if (text === '') {
      if (event.data.length) emit({ id: event.id, event: event.event || 'message', data: event.data.join('\n') });
      event = { data: [], event: '', id: null };
      return;
    }
    if (text.startsWith(':')) return; // a comment: the heartbeat
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') event.data.push(value);
    else if (field === 'event') event.event = value;
    else if (field === 'id' && !value.includes('\0')) event.id = value;
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let match;
    while ((match = /\r\n|\r|\n/.exec(buffer)) !== null) {
      // a lone \r at the end may be the first half of \r\n: wait for more
      if (match[0] === '\r' && match.index === buffer.length - 1) break;
      line(buffer.slice(0, match.index));
      buffer = buffer.slice(match.index + match[0].length);
    }
    if (buffer.length > MAX_LINE) throw new Error('event line too long');
  }
}

/**
 * Subscribes to an event stream. handlers: onEvent(event), onState('connecting'|'live'|'reconnecting'|'unavailable'),
 * onUnauthorized(message). Returns {close()}.
 */
export function subscribe(path, handlers) {
  let stopped = false;
  let lastId = null;
  let failures = 0;
  let controller = null;
  let wake = null;

  const pause = (ms) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });

  (async () => {
    let planned = false; // the server ended the last stream on purpose (event: end): reconnect at once, quietly
    while (!stopped) {
      controller = new AbortController();
      if (!planned) handlers.onState(failures ? 'reconnecting' : 'connecting');
      planned = false;
      let retryAfterMs = null;
      let ended = false;
      try {
        const headers = authHeaders({ Accept: 'text/event-stream' });
        if (lastId !== null) headers['Last-Event-ID'] = lastId;
        const response = await fetch(path, { headers, signal: controller.signal, cache: 'no-store',
          credentials: 'omit' });
        if (response.status === 401) {
          handlers.onUnauthorized?.('Unauthorized: sign in again');
          return;
        }
        if (!response.ok || !response.body) {
          const seconds = Number(response.headers.get('Retry-After'));
          if (Number.isFinite(seconds) && seconds > 0) retryAfterMs = Math.min(seconds, 300) * 1000;
          handlers.onState(response.status === 404 ? 'unavailable' : 'reconnecting');
          throw new Error('HTTP ' + response.status);
        }
        failures = 0;
        handlers.onState('live');
        await readEvents(response.body, (event) => {
          if (event.id !== null) lastId = event.id;
          if (event.event === 'end') ended = true; // the stream's time is up: its credential is checked again
          else handlers.onEvent(event);
        });
      } catch (e) {
        if (stopped) return;
      }
      if (stopped) return;
      if (ended) {
        planned = true;
        continue;
      }
      failures += 1;
      // exponential backoff with jitter, 1 s to 30 s, or what the server asked for
      const backoff = Math.min(30000, 1000 * 2 ** Math.min(failures - 1, 5)) * (0.75 + Math.random() / 2);
      await pause(retryAfterMs ?? backoff);
    }
  })();

  return {
    close() {
      stopped = true;
      controller?.abort();
      wake?.();
    },
  };
}

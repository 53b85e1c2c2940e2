// One WebSocket to the server's /ws, speaking protocol v1: hello first, requests matched to
// replies by id, events handed on. When the socket closes it reconnects by itself with
// exponential backoff and jitter; logging in again is the session's job (see session.js).

const kProtocolVersion = 1;
const kClientName = 'messenger-web/0.1';
const kRequestTimeoutMs = 15_000;
/**
 * The server's limit on one request, in UTF-8 bytes. It cannot read the id of a longer one, so
 * its refusal could not be matched to the request: refuse it here instead.
 */
const kMaxRequestBytes = 64 * 1024;
const utf8 = new TextEncoder();
const kBackoffFirstMs = 1_000;
const kBackoffMaxMs = 30_000;
const kBackoffMaxDoublings = 16;
/** The server closes every connection of a session that logged out with this code. */
export const kSessionEndedCloseCode = 4001;

/** An error reply of the server, or `timeout` / `disconnected` from this side. */
export class RequestError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

/**
 * States, in `state` and in 'state' events: `connecting` (opening the socket or saying hello),
 * `open` (hello answered: requests may go), `offline` (waiting to retry; `retryAt` says when),
 * `stopped`.
 * Events: 'state', 'open' (each time hello is answered), 'event' (detail: an event frame),
 * 'close' (detail: {code}).
 */
export class Connection extends EventTarget {
  #url;
  #socket = null;
  #nextId = 1;
  #pending = new Map();
  #attempts = 0;
  #retryTimer = 0;
  state = 'stopped';
  retryAt = 0;

  constructor(url) {
    super();
    this.#url = url;
  }

  start() {
    if (this.state === 'stopped') this.#open();
  }

  /** Drops the socket now (e.g. the browser says it went offline); a retry follows. */
  drop() {
    if (this.#socket) this.#socket.close();
    this.#closed(this.#socket, 1006);
  }

  retryNow() {
    if (this.state !== 'offline') return;
    clearTimeout(this.#retryTimer);
    this.#open();
  }

  /** Called once a login succeeded on this socket, so the next outage starts small again. */
  resetBackoff() {
    this.#attempts = 0;
  }

  /** Resolves with the reply's fields, or rejects with a RequestError. */
  request(type, fields = {}) {
    if (this.state !== 'open') {
      return Promise.reject(new RequestError('disconnected', 'not connected'));
    }
    return this.#call(type, fields);
  }

  /**
   * As `request`, but a socket still opening is waited for first: someone who submits a form
   * in the instant after a reconnect began should not be told to try again.
   */
  async requestWhenOpen(type, fields = {}) {
    if (this.state === 'connecting') {
      await new Promise((resolve) => {
        const settle = () => {
          if (this.state === 'connecting') return;
          this.removeEventListener('state', settle);
          resolve();
        };
        this.addEventListener('state', settle);
      });
    }
    return this.request(type, fields);
  }

  #call(type, fields) {
    const socket = this.#socket;
    const id = this.#nextId++;
    const frame = JSON.stringify({ id, type, ...fields });
    if (utf8.encode(frame).length > kMaxRequestBytes) {
      return Promise.reject(new RequestError('too_large', `the ${type} request is too long`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RequestError('timeout', `no reply to ${type}`));
        // A reply that never comes means the socket is dead without having noticed.
        if (socket === this.#socket) this.drop();
      }, kRequestTimeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      socket.send(frame);
    });
  }

  #setState(state) {
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }

  #open() {
    this.#setState('connecting');
    let socket;
    try {
      socket = new WebSocket(this.#url);
    } catch {
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => this.#hello(socket));
    socket.addEventListener('message', (message) => this.#received(socket, message.data));
    socket.addEventListener('close', (close) => this.#closed(socket, close.code));
  }

  async #hello(socket) {
    try {
      await this.#call('hello', { protocol: kProtocolVersion, client: kClientName });
    } catch {
      if (socket === this.#socket) this.drop();
      return;
    }
    if (socket !== this.#socket) return;
    this.#setState('open');
    this.dispatchEvent(new Event('open'));
  }

  #received(socket, data) {
    if (socket !== this.#socket || typeof data !== 'string') return;
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame === null || typeof frame !== 'object') return;
    if (typeof frame.event === 'string') {
      this.dispatchEvent(new CustomEvent('event', { detail: frame }));
      return;
    }
    const waiter = this.#pending.get(frame.id);
    if (!waiter) return;
    this.#pending.delete(frame.id);
    clearTimeout(waiter.timer);
    if (frame.error) waiter.reject(new RequestError(frame.error.code, frame.error.message));
    else waiter.resolve(frame);
  }

  #closed(socket, code) {
    if (socket === null || socket !== this.#socket) return;
    this.#socket = null;
    for (const waiter of this.#pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new RequestError('disconnected', 'connection closed'));
    }
    this.#pending.clear();
    this.dispatchEvent(new CustomEvent('close', { detail: { code } }));
    if (code === kSessionEndedCloseCode) {
      // The server ended a session, not the network: a new socket can open at once, so that
      // the sign-in form that follows is usable without a wait. Once only: a second 4001
      // before a login succeeds waits like any other retry, so no server can make a loop.
      if (this.#attempts === 0) {
        this.#attempts = 1;
        this.#open();
        return;
      }
      this.#attempts = 0;
    }
    this.#scheduleRetry();
  }

  #scheduleRetry() {
    // Equal jitter: half the backoff is fixed, half random, so that many clients cut off
    // together do not all come back in the same instant.
    const ceiling = Math.min(kBackoffMaxMs, kBackoffFirstMs * 2 ** this.#attempts);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.#attempts = Math.min(this.#attempts + 1, kBackoffMaxDoublings);
    this.retryAt = Date.now() + delay;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#open(), delay);
    this.#setState('offline');
  }
}

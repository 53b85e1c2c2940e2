// Logging in and staying in sync: register / login / resume on each (re)connection, then the
// sync loop of docs/protocol.md ("Staying in sync") with live events held back meanwhile,
// then the outbox goes out. Receipts (ack_delivered, mark_seen) and presence look-ups are
// sent from here too.

import { RequestError, kSessionEndedCloseCode } from './connection.js';
import { Outbox } from './outbox.js';

const kSessionKey = 'messenger.session';
const cursorKey = (userId) => `messenger.cursor.${userId}`;
const outboxKey = (userId) => `messenger.outbox.${userId}`;
const kSyncPageLimit = 500;
/** A bound on one catch-up; past it the sync goes on from a new connection. */
const kMaxSyncPages = 200;
const kPresenceBatch = 1000;
const kHistoryPageLimit = 50;
const kRetryAfterRefusalMs = 2_000;
const kDevice = 'web browser';
const kLoggedOutEverywhere = 'You logged out on every device.';
const kSessionEndedElsewhere = 'You were logged out because your password was changed or ' +
  'your account was logged out elsewhere. Log in again.';
/** Errors after which the same message may be sent again with the same client_msg_id. */
const kRetryableErrors = new Set(['disconnected', 'timeout', 'rate_limited', 'storage_error',
  'shutting_down']);

/**
 * States (`state`, and 'state' events): `signed_out` (no token: show the sign-in form),
 * `signing_in`, `syncing`, `ready`.
 * Events: 'state', 'signedout' (detail: reason), 'outbox' (detail: chatId: its queue changed).
 */
export class Session extends EventTarget {
  #connection;
  #store;
  #storage;
  #held = null;
  #cursor = 0;
  #flushing = false;
  #ackTimers = new Map();
  #seenAsked = new Map();
  state = 'signed_out';
  user = null;
  token = '';
  outbox = null;
  /** The chat on screen, whose messages count as seen while the page is visible. */
  visibleChat = 0;

  constructor(connection, store, storage) {
    super();
    this.#connection = connection;
    this.#store = store;
    this.#storage = storage;
    const saved = this.#readSaved();
    if (saved) this.#adopt(saved.user, saved.token);
    connection.addEventListener('open', () => this.#connected());
    connection.addEventListener('event', (event) => this.#onEvent(event.detail));
    connection.addEventListener('close', (event) => this.#disconnected(event.detail.code));
  }

  #readSaved() {
    try {
      const saved = JSON.parse(this.#storage.getItem(kSessionKey) ?? 'null');
      return saved?.token && saved?.user?.id ? saved : null;
    } catch {
      return null;
    }
  }

  #adopt(user, token) {
    this.user = user;
    this.token = token;
    this.#cursor = Number(this.#storage.getItem(cursorKey(this.user.id)) ?? 0) || 0;
    this.outbox = new Outbox(this.#storage, outboxKey(user.id));
    this.#store.reset(user.id);
    this.#store.rememberUser(user);
    this.#storage.setItem(kSessionKey, JSON.stringify({ user, token }));
  }

  #setCursor(cursor) {
    this.#cursor = cursor;
    this.#storage.setItem(cursorKey(this.user.id), String(cursor));
  }

  #setState(state) {
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }

  request(type, fields) {
    return this.#connection.request(type, fields);
  }

  /** `kind` is 'register' or 'login'. Rejects with a RequestError to show. */
  async signIn(kind, name, password) {
    this.#setState('signing_in');
    let reply;
    try {
      reply = await this.#connection.requestWhenOpen(kind, { name, password, device: kDevice });
    } catch (error) {
      this.#setState('signed_out');
      throw error;
    }
    if (this.user && this.user.id !== reply.user.id) this.#forget();
    this.#adopt(reply.user, reply.token);
    await this.#catchUp();
  }

  /**
   * Ends this browser's session on the server (every connection of it) and forgets this
   * user's data in the browser, queued messages too.
   */
  async signOut() {
    const userId = this.user.id;
    try {
      await this.#connection.request('logout');
    } catch {
      // Offline: the token is forgotten here all the same; it stays valid on the server.
    }
    this.#forgetEverything(userId, '');
  }

  /**
   * Ends every session of the user, on every device, then forgets this user's data here as
   * signOut does. Unlike signOut it rejects (with a RequestError) when the server did not
   * confirm: the user asked for the other devices to be cut off, so a silent local logout
   * would let them believe it happened.
   */
  async signOutEverywhere() {
    const userId = this.user.id;
    await this.#connection.request('logout', { all: true });
    // The reply comes before the 4001 close; forgetting the token now makes that close ours.
    this.#forgetEverything(userId, kLoggedOutEverywhere);
  }

  /** Rejects with a RequestError; on success the user's other sessions have ended. */
  async changePassword(current, password) {
    await this.#connection.request('change_password', { current, password });
  }

  /** `userId` is read before the request: a 4001 close meanwhile may have forgotten the user. */
  #forgetEverything(userId, reason) {
    this.#storage.removeItem(cursorKey(userId));
    this.#storage.removeItem(outboxKey(userId));
    this.#forget();
    this.#store.reset(0);
    this.#signedOut(reason);
  }

  #forget() {
    this.#storage.removeItem(kSessionKey);
    this.user = null;
    this.token = '';
  }

  #signedOut(reason) {
    this.#held = null;
    this.#setState('signed_out');
    this.dispatchEvent(new CustomEvent('signedout', { detail: reason }));
  }

  async #connected() {
    if (!this.token) {
      this.#setState('signed_out');
      return;
    }
    this.#setState('signing_in');
    try {
      const reply = await this.#connection.request('resume', { token: this.token });
      this.user = reply.user;
      this.#store.rememberUser(reply.user);
    } catch (error) {
      if (error.code === 'session_revoked') {
        this.#forget();
        this.#signedOut('Your session has ended. Log in again.');
      } else if (error.code !== 'disconnected') {
        this.#connection.drop();  // e.g. shutting_down: try again on a new connection
      }
      return;
    }
    await this.#catchUp();
  }

  #disconnected(code) {
    this.#held = null;
    if (code === kSessionEndedCloseCode && this.token) {
      // Another device or window ended this session (logout, logout everywhere, a new
      // password). The token is dead: forget it, so that the reconnection that follows only
      // brings back the sign-in form. The cursor and the outbox stay for this user's next login.
      this.#forget();
      this.#store.reset(0);
      this.#signedOut(kSessionEndedElsewhere);
      return;
    }
    if (this.token) this.#setState('signing_in');
  }

  /** After each login: snapshot, sync loop, held events, then receipts, presence, outbox. */
  async #catchUp() {
    this.#held = [];
    this.#setState('syncing');
    try {
      const list = await this.#connection.request('list_chats');
      this.#store.loadSummaries(list.chats);
      if (!(await this.#syncLoop())) {
        // Not caught up: live events must not move the cursor past what the stream has not
        // given us yet, so continue from the saved cursor on a fresh connection.
        this.#connection.drop();
        return;
      }
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      // Start over on a fresh connection: the retry logs in and syncs again.
      if (error.code !== 'disconnected') this.#connection.drop();
      return;
    }
    const held = this.#held ?? [];
    this.#held = null;
    for (const frame of held) this.#onEvent(frame);
    this.#connection.resetBackoff();
    this.#setState('ready');
    this.#ackEverything();
    this.#askPresence(Array.from(this.#store.chats.values()).flatMap(
      (entry) => entry.chat.members.map((member) => member.user_id)));
    this.flushOutbox();
  }

  /** Applies the stream from the saved cursor; true when caught up. */
  async #syncLoop() {
    for (let page = 0; page < kMaxSyncPages; page++) {
      let reply;
      try {
        reply = await this.#connection.request('sync', { cursor: this.#cursor,
          limit: kSyncPageLimit });
      } catch (error) {
        if (error.code !== 'cursor_expired' || this.#cursor === 0) throw error;
        // Our cursor belongs to another database (or is too old): start the stream over.
        this.#setCursor(0);
        continue;
      }
      for (const update of reply.updates) this.#applyStreamEvent(update);
      this.#setCursor(reply.cursor);
      if (!reply.more) return true;
    }
    return false;
  }

  #onEvent(frame) {
    if (frame.event === 'typing') {
      this.#store.noteTyping(frame.chat_id, frame.user_id);
    } else if (frame.event === 'presence') {
      this.#store.setPresence(frame);
    } else if (this.#held) {
      this.#held.push(frame);
    } else if (typeof frame.cursor === 'number' && frame.cursor > this.#cursor) {
      this.#applyStreamEvent(frame);
      this.#setCursor(frame.cursor);
    }
  }

  #applyStreamEvent(frame) {
    if (frame.event === 'message') this.#applyMessage(frame.message);
    else if (frame.event === 'receipt') this.#store.applyReceipt(frame);
    else if (frame.event === 'chat') this.#applyChat(frame.chat);
  }

  #applyChat(chat) {
    const entry = this.#store.upsertChat(chat);
    if (entry && this.state === 'ready') {
      this.#askPresence(chat.members.map((member) => member.user_id));
    }
  }

  #applyMessage(message) {
    const { known, isNew } = this.#store.applyMessage(message);
    if (!known) return;
    if (message.sender_id === this.user.id && this.outbox.remove(message.client_msg_id)) {
      this.dispatchEvent(new CustomEvent('outbox', { detail: message.chat_id }));
    }
    if (message.kind === 'member_added' && this.#store.chats.has(message.chat_id)) {
      this.#refreshChat(message.chat_id);
    }
    if (isNew && message.sender_id !== this.user.id) this.#scheduleAck(message.chat_id);
  }

  async #refreshChat(chatId) {
    try {
      const reply = await this.#connection.request('get_chat', { chat_id: chatId });
      this.#applyChat(reply.chat);
    } catch {
      // Shown as it was; the next list_chats corrects it.
    }
  }

  #ackEverything() {
    for (const entry of this.#store.chats.values()) {
      if (entry.myDelivered() < entry.chat.last_seq) this.#scheduleAck(entry.chat.id);
    }
    if (this.visibleChat) this.markSeen(this.visibleChat);
  }

  /** One ack_delivered per chat for its newest seq, however many messages came at once. */
  #scheduleAck(chatId) {
    if (this.#held || this.#ackTimers.has(chatId)) return;
    this.#ackTimers.set(chatId, setTimeout(async () => {
      this.#ackTimers.delete(chatId);
      const entry = this.#store.chats.get(chatId);
      if (!entry) return;
      try {
        await this.#connection.request('ack_delivered', { chat_id: chatId,
          seq: entry.chat.last_seq });
      } catch {
        // Acknowledged again after the next login (#ackEverything).
      }
      if (chatId === this.visibleChat) this.markSeen(chatId);
    }, 0));
  }

  /** The user has the chat on screen: everything in it up to now counts as seen. */
  async markSeen(chatId) {
    const entry = this.#store.chats.get(chatId);
    if (!entry || this.state !== 'ready' || document.visibilityState !== 'visible') return;
    const seq = entry.chat.last_seq;
    if (entry.mySeen() >= seq || (this.#seenAsked.get(chatId) ?? 0) >= seq) return;
    this.#seenAsked.set(chatId, seq);
    try {
      await this.#connection.request('mark_seen', { chat_id: chatId, seq });
    } catch {
      this.#seenAsked.delete(chatId);
    }
  }

  async #askPresence(userIds) {
    const others = Array.from(new Set(userIds)).filter((id) => id !== this.user.id);
    for (let start = 0; start < others.length; start += kPresenceBatch) {
      try {
        const reply = await this.#connection.request('get_presence',
          { user_ids: others.slice(start, start + kPresenceBatch) });
        for (const presence of reply.presence) this.#store.setPresence(presence);
      } catch {
        return;
      }
    }
  }

  /** Queues a message and sends what is waiting, in order. */
  send(chatId, text) {
    this.outbox.add(chatId, text);
    this.dispatchEvent(new CustomEvent('outbox', { detail: chatId }));
    this.flushOutbox();
  }

  /** Sends the waiting messages one at a time; stops at the first that cannot go now. */
  async flushOutbox() {
    if (this.#flushing || this.state !== 'ready') return;
    this.#flushing = true;
    try {
      for (const entry of this.outbox.waiting()) {
        if (!(await this.#sendOne(entry))) break;
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #sendOne(entry) {
    try {
      const reply = await this.#connection.request('send_message', {
        chat_id: entry.chat_id, client_msg_id: entry.client_msg_id, text: entry.text });
      this.outbox.remove(entry.client_msg_id);
      this.#store.applyMessage({ id: reply.message_id, chat_id: reply.chat_id, seq: reply.seq,
        sender_id: this.user.id, kind: 'text', subject_id: 0,
        client_msg_id: entry.client_msg_id, text: entry.text, created_at: reply.created_at,
        status: 'sent' });
      this.dispatchEvent(new CustomEvent('outbox', { detail: entry.chat_id }));
      return true;
    } catch (error) {
      if (kRetryableErrors.has(error.code)) {
        if (error.code !== 'disconnected' && error.code !== 'timeout') {
          setTimeout(() => this.flushOutbox(), kRetryAfterRefusalMs);
        }
        return false;
      }
      this.outbox.markFailed(entry.client_msg_id, error.message);
      this.dispatchEvent(new CustomEvent('outbox', { detail: entry.chat_id }));
      return true;
    }
  }

  /** The newest page of a chat (`before` 0) or the page below `before`. */
  async loadHistory(chatId, before = 0) {
    const fields = { chat_id: chatId, limit: kHistoryPageLimit };
    if (before) fields.before = before;
    const reply = await this.#connection.request('get_history', fields);
    this.#store.addHistoryPage(chatId, reply.messages, before, kHistoryPageLimit,
                               reply.more === true);
  }

  typing(chatId) {
    this.#connection.request('typing', { chat_id: chatId }).catch(() => {});
  }
}

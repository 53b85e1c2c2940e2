// The open conversation: header (name, online / last seen / typing), history with date
// separators and sent / delivered / seen marks, the typing line and the composer.
// Scrolling near the top loads the page of older messages below the oldest one shown.

import { avatar, byId, h } from './dom.js';
import { clockTime, dayLabel, presenceText, sameDay } from './format.js';
import { messageSummary } from './chat_list_view.js';

/** Send `typing` at most this often while the user types (docs/protocol.md suggests 3 s). */
const kTypingEveryMs = 3_000;
/**
 * The server passes on at most one `typing` per second per user and chat; the margin keeps a
 * notice that the network delayed less than the one before from landing inside that second.
 */
const kServerTypingGapMs = 1_000 + 250;
/** Load older history when the view is this close to its top. */
const kScrollBackMarginPx = 160;
/** Counts as "at the bottom": new messages keep the view there. */
const kStickToBottomPx = 48;
const kMaxComposerHeightPx = 160;
/** Pages loaded at most to fill a tall window when a chat opens. */
const kMaxFillPages = 5;
const kStatusMarks = { sent: '✓', delivered: '✓✓', seen: '✓✓' };

export class ConversationView {
  #store;
  #session;
  #chatId = 0;
  #loadingOlder = false;
  #lastTypingSent = 0;
  #renderedKey = '';
  /**
   * The nodes of the last render, by key, with a summary of what each showed: a node whose
   * summary is unchanged is kept, so that a new page or message costs the browser only the
   * new nodes, not a fresh layout of every long message above them.
   */
  #built = new Map();
  /** Unsent text of the chats left while writing, restored when they are opened again. */
  #drafts = new Map();
  onBack = () => {};
  onInfo = () => {};

  constructor(store, session) {
    this.#store = store;
    this.#session = session;
    this.messages = byId('messages');
    this.composer = byId('composer');
    this.text = byId('composer-text');
    this.messages.addEventListener('scroll', () => this.#scrolled());
    this.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#send();
    });
    this.text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.#send();
      }
    });
    this.text.addEventListener('input', () => this.#typed());
    byId('back').addEventListener('click', () => this.onBack());
    byId('chat-info').addEventListener('click', () => this.onInfo());
  }

  get chatId() {
    return this.#chatId;
  }

  async open(chatId) {
    const changed = chatId !== this.#chatId;
    if (changed && this.#chatId) this.#drafts.set(this.#chatId, this.text.value);
    this.#chatId = chatId;
    this.#renderedKey = '';
    if (changed) this.#built.clear();
    const shown = Boolean(chatId);
    byId('no-conversation').hidden = shown;
    for (const id of ['conversation-header', 'messages', 'typing-line', 'composer']) {
      byId(id).hidden = !shown;
    }
    if (!shown) return;
    if (changed) {
      this.text.value = this.#drafts.get(chatId) ?? '';
      this.#drafts.delete(chatId);
      this.#fitComposer();
    }
    this.render();
    this.text.focus();
    const entry = this.#store.chats.get(chatId);
    if (entry && !entry.windowLoaded) await this.#loadNewest(chatId);
  }

  /** After a reconnection: refetches the open chat's history if it went stale meanwhile. */
  async refresh() {
    const entry = this.#store.chats.get(this.#chatId);
    if (entry && !entry.windowLoaded) await this.#loadNewest(this.#chatId);
  }

  async #loadNewest(chatId) {
    try {
      await this.#session.loadHistory(chatId);
    } catch {
      return;  // offline: loaded after the next login
    }
    await this.#fillScreen(chatId);
  }

  /** Loads older pages until the view can scroll, so that scrolling up can load more. */
  async #fillScreen(chatId) {
    for (let page = 0; page < kMaxFillPages; page++) {
      const entry = this.#store.chats.get(chatId);
      if (chatId !== this.#chatId || !entry?.hasOlder) return;
      this.render();  // measure what is shown now, not at the next frame
      if (this.messages.scrollHeight > this.messages.clientHeight) return;
      if (!(await this.#loadOlder())) return;
    }
  }

  async #loadOlder() {
    const entry = this.#store.chats.get(this.#chatId);
    if (!entry?.hasOlder || this.#loadingOlder) return false;
    this.#loadingOlder = true;
    try {
      await this.#session.loadHistory(this.#chatId, entry.oldestSeq());
      return true;
    } catch {
      return false;
    } finally {
      this.#loadingOlder = false;
    }
  }

  #scrolled() {
    if (this.messages.scrollTop < kScrollBackMarginPx) this.#loadOlder();
    if (this.#atBottom()) this.#session.markSeen(this.#chatId);
  }

  #atBottom() {
    const view = this.messages;
    return view.scrollHeight - view.scrollTop - view.clientHeight < kStickToBottomPx;
  }

  #send() {
    const text = this.text.value;
    if (!text.trim() || !this.#chatId) return;
    this.#session.send(this.#chatId, text);
    this.text.value = '';
    // The message ended "typing" on the other side; typing again may say so as soon as the
    // server passes it on, not only after the usual interval.
    this.#lastTypingSent -= kTypingEveryMs - kServerTypingGapMs;
    this.#fitComposer();
    this.messages.scrollTop = this.messages.scrollHeight;
  }

  #typed() {
    this.#fitComposer();
    const now = Date.now();
    if (!this.text.value || now - this.#lastTypingSent < kTypingEveryMs) return;
    this.#lastTypingSent = now;
    this.#session.typing(this.#chatId);
  }

  #fitComposer() {
    this.text.style.height = 'auto';
    this.text.style.height = `${Math.min(this.text.scrollHeight, kMaxComposerHeightPx)}px`;
  }

  render() {
    const entry = this.#store.chats.get(this.#chatId);
    if (!entry) {
      if (this.#chatId) this.onBack();
      return;
    }
    this.#renderHeader(entry);
    this.#renderTyping(entry);
    this.#renderMessages(entry);
    if (this.#atBottom()) this.#session.markSeen(this.#chatId);
  }

  #renderHeader(entry) {
    const title = this.#store.titleOf(entry);
    const peer = this.#store.peerOf(entry);
    const online = Boolean(peer && peer.user_id !== this.#store.me &&
      this.#store.isOnline(peer.user_id));
    byId('conversation-avatar').replaceChildren(
      avatar(title, { online, group: entry.chat.kind === 'group' }));
    byId('conversation-name').textContent = title;
    byId('chat-info').hidden = entry.chat.kind !== 'group';
    const status = byId('conversation-status');
    const typing = this.#store.typingIn(entry.chat.id);
    status.classList.toggle('typing', typing.length > 0);
    status.classList.toggle('online', online && typing.length === 0);
    if (this.#session.state !== 'ready') {
      status.textContent = 'waiting for the network…';
    } else if (typing.length) {
      const who = entry.chat.kind === 'group' ? `${typing.join(', ')} ` : '';
      status.textContent = `${who}typing…`;
    } else if (entry.chat.kind === 'group') {
      const members = entry.chat.members;
      const here = members.filter((member) => member.user_id === this.#store.me ||
        this.#store.isOnline(member.user_id)).length;
      status.textContent = `${members.length} members, ${here} online`;
    } else if (peer && peer.user_id === this.#store.me) {
      status.textContent = 'notes to self';
    } else {
      status.textContent = peer ? presenceText(this.#store.presence.get(peer.user_id)) : '';
    }
  }

  #renderTyping(entry) {
    const typing = this.#store.typingIn(entry.chat.id);
    const line = byId('typing-line');
    const verb = typing.length > 1 ? 'are' : 'is';
    line.textContent = typing.length ? `${typing.join(', ')} ${verb} typing…` : '';
  }

  #renderMessages(entry) {
    const queued = this.#session.outbox?.forChat(entry.chat.id) ?? [];
    const others = entry.chat.members.filter((member) => member.user_id !== this.#store.me);
    // Rebuild only when something shown changed, so that scrolling and selection survive
    // typing and presence updates.
    const key = JSON.stringify([entry.chat.id, entry.messages.length, entry.oldestSeq(),
      entry.newestSeq(), entry.lastMessage?.seq, entry.windowLoaded, entry.hasOlder,
      others.map((member) => [member.delivered_seq, member.seen_seq]),
      queued.map((item) => [item.client_msg_id, item.failed])]);
    if (key === this.#renderedKey) return;
    this.#renderedKey = key;

    const view = this.messages;
    const wasAtBottom = this.#atBottom();
    const fromBottom = view.scrollHeight - view.scrollTop;
    const firstBefore = view.querySelector('[data-seq]')?.dataset.seq;

    const built = new Map();
    const reuse = (id, look, make) => {
      const known = this.#built.get(id);
      const kept = known && known.look === look ? known : { look, node: make() };
      built.set(id, kept);
      return kept.node;
    };
    const nodes = [];
    if (!entry.windowLoaded) {
      nodes.push(h('p', { class: 'history-note' }, 'Loading…'));
    } else if (entry.hasOlder) {
      nodes.push(h('p', { class: 'history-note' }, 'Scroll up for older messages'));
    } else {
      nodes.push(h('p', { class: 'history-note' }, entry.messages.length || queued.length
        ? 'This is the beginning of the chat' : 'No messages yet. Say hello!'));
    }
    let previous = null;
    const items = entry.windowLoaded ? entry.messages : [];
    const separator = (id, ms) => {
      const label = dayLabel(ms);
      return reuse(`day:${id}`, label, () => this.#separator(label));
    };
    for (const message of items) {
      if (!previous || !sameDay(previous.created_at, message.created_at)) {
        nodes.push(separator(message.seq, message.created_at));
      }
      const look = this.#bubbleLook(entry, message, previous);
      nodes.push(reuse(`m:${message.seq}`, JSON.stringify(look),
        () => this.#bubble(message, look)));
      previous = message;
    }
    for (const item of queued) {
      if (!previous || !sameDay(previous.created_at, item.created_at)) {
        nodes.push(separator(item.client_msg_id, item.created_at));
      }
      nodes.push(reuse(`q:${item.client_msg_id}`, String(item.failed ?? ''),
        () => this.#queuedBubble(item)));
      previous = { sender_id: this.#store.me, created_at: item.created_at, kind: 'text' };
    }
    placeChildren(view, nodes);
    this.#built = built;

    const firstAfter = view.querySelector('[data-seq]')?.dataset.seq;
    if (wasAtBottom) view.scrollTop = view.scrollHeight;
    else if (firstBefore && firstAfter !== firstBefore) {
      view.scrollTop = view.scrollHeight - fromBottom;  // older messages came in above
    }
  }

  #separator(label) {
    return h('div', { class: 'day-separator', role: 'separator' }, h('span', {}, label));
  }

  /**
   * All that a bubble shows besides the message's own text and time, which never change: two
   * bubbles of one message with equal looks are the same.
   */
  #bubbleLook(entry, message, previous) {
    if (message.kind !== 'text') return { summary: messageSummary(this.#store, message) };
    const mine = message.sender_id === this.#store.me;
    const continued = Boolean(previous && previous.kind === 'text' &&
      previous.sender_id === message.sender_id &&
      sameDay(previous.created_at, message.created_at));
    const showName = entry.chat.kind === 'group' && !mine && !continued;
    return {
      mine,
      continued,
      sender: showName ? this.#store.nameOf(message.sender_id) : null,
      status: mine ? entry.ownStatus(message.seq) : '',
    };
  }

  #bubble(message, look) {
    if (message.kind !== 'text') {
      return h('p', { class: 'record', dataset: { seq: String(message.seq) } }, look.summary);
    }
    const { mine, continued, sender, status } = look;
    return h('div', {
      class: `message ${mine ? 'mine' : 'theirs'} ${continued ? 'continued' : ''}`,
      dataset: { seq: String(message.seq), status },
    },
    sender !== null ? h('span', { class: 'sender' }, sender) : null,
    h('span', { class: 'text' }, message.text),
    h('span', { class: 'meta' },
      h('time', { datetime: new Date(message.created_at).toISOString() },
        clockTime(message.created_at)),
      mine ? h('span', { class: `mark ${status}`, 'aria-label': status, title: status },
        kStatusMarks[status]) : null));
  }

  #queuedBubble(item) {
    const failed = Boolean(item.failed);
    const label = failed ? `not sent: ${item.failed}` : 'waiting to send';
    return h('div', {
      class: `message mine ${failed ? 'failed' : 'queued'}`,
      dataset: { clientMsgId: item.client_msg_id, status: failed ? 'failed' : 'queued' },
    },
    h('span', { class: 'text' }, item.text),
    h('span', { class: 'meta' },
      h('time', {}, clockTime(item.created_at)),
      h('span', { class: 'mark', 'aria-label': label, title: label }, failed ? '!' : '◷')),
    failed ? h('button', { type: 'button', class: 'link-button', onclick: () => {
      this.#session.outbox.remove(item.client_msg_id);
      this.#renderedKey = '';
      this.render();
    } }, 'Discard') : null);
  }
}

/**
 * Makes `nodes` the children of `parent`, in order, moving as little as it can: nodes already
 * there in that order stay put, so the browser keeps their layout.
 */
function placeChildren(parent, nodes) {
  const wanted = new Set(nodes);
  let current = parent.firstChild;
  for (const node of nodes) {
    // Dropping the unwanted first keeps a replaced node from pushing every later one along.
    while (current && !wanted.has(current)) {
      const next = current.nextSibling;
      current.remove();
      current = next;
    }
    if (node === current) current = current.nextSibling;
    else parent.insertBefore(node, current);
  }
  while (current) {
    const next = current.nextSibling;
    current.remove();
    current = next;
  }
}

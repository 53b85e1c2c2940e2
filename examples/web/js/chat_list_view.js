// The chat list: one row per chat, newest activity first, with the last message (or who is
// typing), its time, the unread count and, for direct chats, the peer's online dot.

import { avatar, h } from './dom.js';
import { listTime } from './format.js';

/** Larger unread counts show as "99+". */
const kMaxBadge = 99;

function recordText(store, message) {
  const who = store.nameOf(message.sender_id);
  const whom = store.nameOf(message.subject_id);
  switch (message.kind) {
    case 'member_added': return `${who} added ${whom}`;
    case 'member_removed': return `${who} removed ${whom}`;
    case 'member_left': return `${who} left`;
    case 'chat_renamed': return `${who} renamed the group to “${message.text}”`;
    default: return '';
  }
}

/** What a message says in one line: its text, or the notice of a record. */
export function messageSummary(store, message) {
  return message.kind === 'text' ? message.text : recordText(store, message);
}

export class ChatListView {
  #list;
  #empty;
  #store;
  #session;
  #onOpen;
  openChat = 0;

  constructor(list, empty, store, session, onOpen) {
    this.#list = list;
    this.#empty = empty;
    this.#store = store;
    this.#session = session;
    this.#onOpen = onOpen;
  }

  render() {
    const entries = this.#store.sortedChats();
    const focused = this.#list.contains(document.activeElement)
      ? document.activeElement.dataset.chatId : undefined;
    const rows = entries.map((entry) => this.#row(entry));
    this.#list.replaceChildren(...rows);
    this.#empty.hidden = entries.length > 0;
    // Rows are rebuilt on every change; keep keyboard focus on the same chat.
    if (focused) this.#list.querySelector(`[data-chat-id="${Number(focused)}"]`)?.focus();
  }

  #preview(entry) {
    const typing = this.#store.typingIn(entry.chat.id);
    if (typing.length) {
      const who = entry.chat.kind === 'group' ? `${typing.join(', ')} ` : '';
      return h('span', { class: 'preview typing' }, `${who}typing…`);
    }
    const queued = this.#session.outbox?.forChat(entry.chat.id) ?? [];
    const last = queued.length ? queued[queued.length - 1] : null;
    if (last) {
      return h('span', { class: 'preview' },
        h('span', { class: 'preview-who' }, 'You: '), last.text);
    }
    const message = entry.lastMessage;
    if (!message) return h('span', { class: 'preview empty' }, 'No messages yet');
    const mine = message.sender_id === this.#store.me;
    const who = mine ? 'You: ' : entry.chat.kind === 'group' && message.kind === 'text'
      ? `${this.#store.nameOf(message.sender_id)}: ` : '';
    return h('span', { class: `preview ${message.kind === 'text' ? '' : 'notice'}` },
      who ? h('span', { class: 'preview-who' }, who) : null, messageSummary(this.#store, message));
  }

  #row(entry) {
    const id = entry.chat.id;
    const title = this.#store.titleOf(entry);
    const peer = this.#store.peerOf(entry);
    const online = Boolean(peer && peer.user_id !== this.#store.me &&
      this.#store.isOnline(peer.user_id));
    const time = entry.lastMessage ? listTime(entry.lastMessage.created_at) : '';
    const count = entry.unread > kMaxBadge ? `${kMaxBadge}+` : String(entry.unread);
    const unread = entry.unread > 0
      ? h('span', { class: 'badge', 'aria-label': `${entry.unread} unread` }, count) : null;
    const label = [title, online ? 'online' : '', entry.unread ? `${entry.unread} unread` : '']
      .filter(Boolean).join(', ');
    const selected = id === this.openChat;
    return h('li', { class: 'chat-row-item' },
      h('button', {
        type: 'button',
        class: `chat-row ${selected ? 'selected' : ''} ${entry.unread ? 'unread' : ''}`,
        'aria-current': selected ? 'true' : false,
        'aria-label': label,
        dataset: { chatId: String(id) },
        onclick: () => this.#onOpen(id),
      },
      avatar(title, { online, group: entry.chat.kind === 'group' }),
      h('span', { class: 'chat-row-body' },
        h('span', { class: 'chat-row-top' },
          h('span', { class: 'chat-name' }, title),
          h('span', { class: 'chat-time' }, time)),
        h('span', { class: 'chat-row-bottom' }, this.#preview(entry), unread))));
  }
}

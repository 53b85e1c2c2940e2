// What the client knows: chats with their members and watermarks, the loaded part of each
// chat's history, presence and typing. Every change is applied so that applying it twice does
// nothing more (a seq already known is not new; watermarks only move forward), because the
// same update can reach us through list_chats, sync and a live event.
// Emits 'change' (detail: {chatId}, or {} for the whole list) after each change.

/** How long a `typing` event lasts unless renewed (docs/protocol.md, Typing and presence). */
export const kTypingTimeoutMs = 6_000;

function unreadInWindow(entry, me) {
  let count = 0;
  for (const message of entry.messages) {
    if (message.sender_id !== me && message.seq > entry.mySeen()) count++;
  }
  return count;
}

class ChatEntry {
  constructor(chat, me) {
    this.chat = chat;
    this.me = me;
    this.lastMessage = null;
    this.unread = 0;
    /** The loaded window of history: ascending, without gaps, up to the newest message. */
    this.messages = [];
    this.windowLoaded = false;
    this.hasOlder = false;
  }

  member(userId) {
    return this.chat.members.find((member) => member.user_id === userId);
  }

  mySeen() {
    return this.member(this.me)?.seen_seq ?? 0;
  }

  myDelivered() {
    return this.member(this.me)?.delivered_seq ?? 0;
  }

  activityAt() {
    return this.lastMessage?.created_at ?? this.chat.created_at;
  }

  /** sent / delivered / seen of one of my own messages, from the other members' watermarks. */
  ownStatus(seq) {
    const others = this.chat.members.filter((member) => member.user_id !== this.me);
    if (others.length === 0) return 'seen';
    if (others.every((member) => member.seen_seq >= seq)) return 'seen';
    if (others.every((member) => member.delivered_seq >= seq)) return 'delivered';
    return 'sent';
  }

  newestSeq() {
    return this.messages.length ? this.messages[this.messages.length - 1].seq : 0;
  }

  oldestSeq() {
    return this.messages.length ? this.messages[0].seq : 0;
  }
}

export class ChatStore extends EventTarget {
  me = 0;
  chats = new Map();
  presence = new Map();
  names = new Map();
  /** Whether we are connected and caught up (see isOnline). */
  live = false;
  #typing = new Map();
  #typingTimer = 0;

  reset(me) {
    this.me = me;
    this.chats.clear();
    this.presence.clear();
    this.names.clear();
    this.#typing.clear();
    this.#changed();
  }

  #changed(chatId) {
    this.dispatchEvent(new CustomEvent('change', { detail: { chatId } }));
  }

  nameOf(userId) {
    return this.names.get(userId) ?? `user ${userId}`;
  }

  rememberUser(user) {
    this.names.set(user.id, user.name);
  }

  /** A direct chat's other member (or me, in notes to self); null for groups. */
  peerOf(entry) {
    if (entry.chat.kind !== 'direct') return null;
    return entry.chat.members.find((member) => member.user_id !== this.me) ??
      entry.chat.members[0] ?? null;
  }

  titleOf(entry) {
    if (entry.chat.kind === 'group') return entry.chat.title || 'Untitled group';
    const peer = this.peerOf(entry);
    if (!peer) return 'Chat';
    return peer.user_id === this.me ? `${peer.name} (you)` : peer.name;
  }

  /** Newest activity first. */
  sortedChats() {
    return Array.from(this.chats.values()).sort((a, b) => b.activityAt() - a.activityAt() ||
      b.chat.id - a.chat.id);
  }

  /** Replaces the list with a list_chats reply, keeping loaded history of chats still there. */
  loadSummaries(summaries) {
    const kept = new Map();
    for (const summary of summaries) {
      const entry = this.chats.get(summary.chat.id) ?? new ChatEntry(summary.chat, this.me);
      this.#setChat(entry, summary.chat);
      entry.lastMessage = summary.last_message;
      entry.unread = summary.unread;
      if (entry.windowLoaded && entry.newestSeq() < entry.chat.last_seq) {
        // Messages came while we were away; the window is refetched when shown.
        entry.windowLoaded = false;
        entry.messages = [];
      }
      kept.set(entry.chat.id, entry);
    }
    this.chats = kept;
    this.#changed();
  }

  #setChat(entry, chat) {
    // Watermarks only move forward, even when an older copy of the chat arrives late.
    for (const member of chat.members) {
      const known = entry.member(member.user_id);
      if (known) {
        member.delivered_seq = Math.max(member.delivered_seq, known.delivered_seq);
        member.seen_seq = Math.max(member.seen_seq, known.seen_seq);
      }
      this.names.set(member.user_id, member.name);
    }
    chat.last_seq = Math.max(chat.last_seq, entry.chat.last_seq);
    entry.chat = chat;
  }

  /** A `chat` event or a reply holding a chat; ignored when I am not in it any more. */
  upsertChat(chat) {
    if (!chat.members.some((member) => member.user_id === this.me)) return null;
    let entry = this.chats.get(chat.id);
    if (!entry) {
      entry = new ChatEntry(chat, this.me);
      this.chats.set(chat.id, entry);
    }
    this.#setChat(entry, chat);
    this.#changed(chat.id);
    return entry;
  }

  removeChat(chatId) {
    if (this.chats.delete(chatId)) this.#changed();
  }

  /**
   * A message from an event, a sync page or a send_message reply.
   * Returns {known: false} for a chat we do not have, else {isNew} (not seen before).
   */
  applyMessage(message) {
    const entry = this.chats.get(message.chat_id);
    if (!entry) return { known: false, isNew: false };
    const isNew = message.seq > entry.chat.last_seq;
    if (isNew) {
      entry.chat.last_seq = message.seq;
      entry.lastMessage = message;
      if (message.sender_id === this.me) {
        this.#raiseWatermarks(entry, this.me, message.seq, message.seq);
      } else if (message.seq > entry.mySeen()) {
        entry.unread += 1;
      }
    } else if (entry.lastMessage?.seq === message.seq) {
      entry.lastMessage = message;
    }
    this.#putInWindow(entry, message);
    // A message from someone ends their "typing" at once.
    this.#typing.delete(`${message.chat_id}:${message.sender_id}`);
    this.#applyRecord(entry, message);
    this.#changed(message.chat_id);
    return { known: true, isNew };
  }

  #putInWindow(entry, message) {
    if (!entry.windowLoaded) return;
    const index = entry.messages.findIndex((known) => known.seq === message.seq);
    if (index >= 0) entry.messages[index] = message;
    else if (message.seq === entry.newestSeq() + 1) entry.messages.push(message);
    else if (message.seq > entry.newestSeq()) {
      // A gap: drop the window, it is refetched whole when shown.
      entry.windowLoaded = false;
      entry.messages = [];
    }
  }

  #applyRecord(entry, message) {
    if (message.kind === 'chat_renamed') entry.chat.title = message.text;
    if (message.kind !== 'member_removed' && message.kind !== 'member_left') return;
    const gone = message.subject_id;
    entry.chat.members = entry.chat.members.filter((member) => member.user_id !== gone);
    if (message.subject_id === this.me) this.chats.delete(entry.chat.id);
  }

  applyReceipt(receipt) {
    const entry = this.chats.get(receipt.chat_id);
    if (!entry) return;
    this.#raiseWatermarks(entry, receipt.user_id, receipt.delivered_seq, receipt.seen_seq);
    this.#changed(receipt.chat_id);
  }

  #raiseWatermarks(entry, userId, delivered, seen) {
    const member = entry.member(userId);
    if (!member) return;
    member.delivered_seq = Math.max(member.delivered_seq, delivered);
    member.seen_seq = Math.max(member.seen_seq, seen);
    if (userId !== this.me) return;
    if (member.seen_seq >= entry.chat.last_seq) {
      entry.unread = 0;
    } else if (entry.windowLoaded && entry.oldestSeq() <= member.seen_seq + 1) {
      entry.unread = unreadInWindow(entry, this.me);
    } else {
      entry.unread = Math.min(entry.unread, entry.chat.last_seq - member.seen_seq);
    }
  }

  /**
   * A page of get_history (newest first) below `before`, or the newest page when it is 0.
   * `more`: the server cut the page short because its messages are large.
   */
  addHistoryPage(chatId, page, before, limit, more = false) {
    const entry = this.chats.get(chatId);
    if (!entry) return;
    const ascending = page.slice().sort((a, b) => a.seq - b.seq);
    if (!before) {
      entry.messages = ascending;
      entry.windowLoaded = true;
    } else if (entry.windowLoaded && before === entry.oldestSeq()) {
      entry.messages = ascending.concat(entry.messages);
    }
    entry.hasOlder = (page.length >= limit || more) && entry.oldestSeq() > 1;
    for (const message of ascending) {
      if (message.seq > entry.chat.last_seq) this.applyMessage(message);
    }
    this.#changed(chatId);
  }

  /**
   * Whether a user is online, as far as we can tell: while we are offline ourselves, what we
   * knew may be stale, so nobody shows online.
   */
  isOnline(userId) {
    return this.live && Boolean(this.presence.get(userId)?.online);
  }

  setLive(live) {
    if (this.live === live) return;
    this.live = live;
    this.#changed();
  }

  setPresence(presence) {
    this.presence.set(presence.user_id, presence);
    this.#changed();
  }

  noteTyping(chatId, userId) {
    if (userId === this.me || !this.chats.has(chatId)) return;
    this.#typing.set(`${chatId}:${userId}`, Date.now() + kTypingTimeoutMs);
    this.#scheduleTypingExpiry();
    this.#changed(chatId);
  }

  /** Names of the members typing in a chat now. */
  typingIn(chatId) {
    const now = Date.now();
    const names = [];
    for (const [key, until] of this.#typing) {
      const [chat, user] = key.split(':').map(Number);
      if (chat === chatId && until > now) names.push(this.nameOf(user));
    }
    return names;
  }

  #scheduleTypingExpiry() {
    clearTimeout(this.#typingTimer);
    const now = Date.now();
    let next = Infinity;
    for (const [key, until] of this.#typing) {
      if (until <= now) this.#typing.delete(key);
      else next = Math.min(next, until);
    }
    if (next === Infinity) return;
    this.#typingTimer = setTimeout(() => {
      this.#scheduleTypingExpiry();
      this.#changed();
    }, next - now + 1);
  }
}

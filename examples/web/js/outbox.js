// Messages written but not yet acknowledged by the server, kept in localStorage so that they
// survive a reload or a closed tab. Each keeps its client_msg_id from the moment it is typed:
// sending it again after a lost reply stores nothing twice, since the server deduplicates.

const kIdBytes = 16;

/** A random client_msg_id; crypto.getRandomValues works without a secure context too. */
export function newClientMsgId() {
  const bytes = crypto.getRandomValues(new Uint8Array(kIdBytes));
  return 'web-' + Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export class Outbox {
  #storage;
  #key;
  #entries;

  constructor(storage, key) {
    this.#storage = storage;
    this.#key = key;
    this.#entries = this.#load();
  }

  #load() {
    try {
      const entries = JSON.parse(this.#storage.getItem(this.#key) ?? '[]');
      return Array.isArray(entries) ? entries : [];
    } catch {
      return [];
    }
  }

  #save() {
    this.#storage.setItem(this.#key, JSON.stringify(this.#entries));
  }

  /** Queues a message; returns its entry. `created_at` is the browser's clock, for display. */
  add(chatId, text) {
    const entry = { client_msg_id: newClientMsgId(), chat_id: chatId, text,
      created_at: Date.now(), failed: '' };
    this.#entries.push(entry);
    this.#save();
    return entry;
  }

  remove(clientMsgId) {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((entry) => entry.client_msg_id !== clientMsgId);
    if (this.#entries.length !== before) this.#save();
    return this.#entries.length !== before;
  }

  /** The server refused it for good (e.g. not a member any more): keep it, shown as failed. */
  markFailed(clientMsgId, reason) {
    const entry = this.#entries.find((candidate) => candidate.client_msg_id === clientMsgId);
    if (!entry) return;
    entry.failed = reason || 'failed';
    this.#save();
  }

  all() {
    return this.#entries.slice();
  }

  waiting() {
    return this.#entries.filter((entry) => !entry.failed);
  }

  forChat(chatId) {
    return this.#entries.filter((entry) => entry.chat_id === chatId);
  }
}

// The dialogs: a new direct chat by user name, a new group, a group's info (members and
// their roles; add, remove, leave), and the account (change the password, log out on every
// device).

import { avatar, byId, h } from './dom.js';
import { presenceText } from './format.js';

const kRoleOrder = { owner: 0, admin: 1, member: 2 };
/** The server's minimum for a new password, in UTF-8 bytes as it counts them. */
const kMinPasswordBytes = 8;
const utf8 = new TextEncoder();

// Names hold no spaces, but may hold commas: only spaces separate them.
function namesIn(text) {
  return Array.from(new Set(text.split(/\s+/u).filter(Boolean)));
}

function wire(dialogId) {
  const dialog = byId(dialogId);
  for (const button of dialog.querySelectorAll('.close-dialog')) {
    button.addEventListener('click', () => dialog.close());
  }
  return dialog;
}

/** Runs `work`, showing its error (a RequestError's message) in `errorNode`. */
async function guarded(errorNode, work) {
  errorNode.textContent = '';
  try {
    await work();
    return true;
  } catch (error) {
    errorNode.textContent = error.code === 'disconnected'
      ? 'Not connected to the server. Try again in a moment.'
      : error.message || 'Something went wrong';
    return false;
  }
}

/** What is wrong with the new password typed twice, or '' when the server may have it. */
function newPasswordProblem(current, password, again) {
  if (!current) return 'Enter your current password.';
  if (utf8.encode(password).length < kMinPasswordBytes) {
    return `The new password must be at least ${kMinPasswordBytes} characters long.`;
  }
  if (password !== again) return 'The two new passwords are not the same.';
  return '';
}

export class Dialogs {
  #store;
  #session;
  #infoChat = 0;
  onOpenChat = () => {};

  constructor(store, session) {
    this.#store = store;
    this.#session = session;
    this.#wireNewChat();
    this.#wireNewGroup();
    this.#wireChatInfo();
    this.#wireAccount();
  }

  async #findUsers(names) {
    const users = [];
    for (const name of names) {
      try {
        const reply = await this.#session.request('find_user', { name });
        users.push(reply.user);
        this.#store.rememberUser(reply.user);
      } catch (error) {
        if (error.code === 'not_found') error.message = `No user is called “${name}”.`;
        throw error;
      }
    }
    return users;
  }

  #wireNewChat() {
    const dialog = wire('new-chat-dialog');
    byId('new-chat').addEventListener('click', () => {
      byId('new-chat-form').reset();
      byId('new-chat-error').textContent = '';
      dialog.showModal();
    });
    byId('new-chat-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = byId('new-chat-name').value.trim();
      if (!name) return;
      const done = await guarded(byId('new-chat-error'), async () => {
        const [user] = await this.#findUsers([name]);
        const reply = await this.#session.request('open_direct_chat', { user_id: user.id });
        this.#store.upsertChat(reply.chat);
        this.onOpenChat(reply.chat.id);
      });
      if (done) dialog.close();
    });
  }

  #wireNewGroup() {
    const dialog = wire('new-group-dialog');
    byId('new-group').addEventListener('click', () => {
      byId('new-group-form').reset();
      byId('new-group-error').textContent = '';
      dialog.showModal();
    });
    byId('new-group-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const title = byId('new-group-name').value.trim();
      if (!title) {
        byId('new-group-error').textContent = 'Give the group a name.';
        return;
      }
      const done = await guarded(byId('new-group-error'), async () => {
        const users = await this.#findUsers(namesIn(byId('new-group-members').value));
        const reply = await this.#session.request('create_group',
          { title, members: users.map((user) => user.id) });
        this.#store.upsertChat(reply.chat);
        this.onOpenChat(reply.chat.id);
      });
      if (done) dialog.close();
    });
  }

  #wireChatInfo() {
    const dialog = wire('chat-info-dialog');
    byId('add-member-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const names = namesIn(byId('add-member-name').value);
      if (!names.length) return;
      const done = await guarded(byId('chat-info-error'), async () => {
        const users = await this.#findUsers(names);
        const reply = await this.#session.request('add_members',
          { chat_id: this.#infoChat, user_ids: users.map((user) => user.id) });
        this.#store.upsertChat(reply.chat);
      });
      if (done) byId('add-member-name').value = '';
    });
    byId('leave-chat').addEventListener('click', async () => {
      const chatId = this.#infoChat;
      const done = await guarded(byId('chat-info-error'),
        () => this.#session.request('leave_chat', { chat_id: chatId }));
      if (!done) return;
      this.#store.removeChat(chatId);
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      this.#infoChat = 0;
    });
  }

  #wireAccount() {
    const dialog = wire('account-dialog');
    const confirm = wire('log-out-all-dialog');
    const form = byId('password-form');
    const submit = byId('change-password');
    const clearForm = () => {
      form.reset();
      // For password managers: the account whose password this form changes.
      byId('password-user').value = this.#session.user?.name ?? '';
    };
    byId('account').addEventListener('click', () => {
      clearForm();
      byId('password-error').textContent = '';
      byId('password-done').textContent = '';
      byId('account-name').textContent = this.#session.user?.name ?? '';
      dialog.showModal();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const current = byId('password-current').value;
      const password = byId('password-new').value;
      const problem = newPasswordProblem(current, password, byId('password-again').value);
      byId('password-done').textContent = '';
      byId('password-error').textContent = problem;
      if (problem || submit.disabled) return;
      submit.disabled = true;
      const done = await guarded(byId('password-error'),
        () => this.#session.changePassword(current, password));
      submit.disabled = false;
      if (!done) return;
      clearForm();
      byId('password-done').textContent =
        'Password changed. Your other devices were logged out; this one stays logged in.';
    });
    byId('log-out-all').addEventListener('click', () => {
      byId('log-out-all-error').textContent = '';
      confirm.showModal();
    });
    byId('log-out-all-confirm').addEventListener('click', async () => {
      const button = byId('log-out-all-confirm');
      if (button.disabled) return;
      button.disabled = true;
      // On success the session signs out, and the 'signedout' handler closes every dialog.
      await guarded(byId('log-out-all-error'), () => this.#session.signOutEverywhere());
      button.disabled = false;
    });
  }

  showChatInfo(chatId) {
    this.#infoChat = chatId;
    byId('add-member-name').value = '';
    byId('chat-info-error').textContent = '';
    this.renderChatInfo();
    byId('chat-info-dialog').showModal();
  }

  /** Redraws the open info dialog after a change to its chat. */
  renderChatInfo() {
    const entry = this.#store.chats.get(this.#infoChat);
    if (!this.#infoChat) return;
    if (!entry) {
      byId('chat-info-dialog').close();
      return;
    }
    const me = entry.member(this.#store.me);
    const canManage = me && (me.role === 'owner' || me.role === 'admin');
    byId('chat-info-title').textContent = this.#store.titleOf(entry);
    byId('chat-info-summary').textContent = `Group · ${entry.chat.members.length} members`;
    const members = entry.chat.members.slice().sort((a, b) =>
      kRoleOrder[a.role] - kRoleOrder[b.role] || a.name.localeCompare(b.name));
    byId('chat-info-members').replaceChildren(...members.map((member) => {
      const isMe = member.user_id === this.#store.me;
      const presence = this.#store.presence.get(member.user_id);
      const canRemove = canManage && !isMe && member.role !== 'owner';
      return h('li', { class: 'member', dataset: { userId: String(member.user_id) } },
        avatar(member.name, { online: !isMe && this.#store.isOnline(member.user_id),
          size: 'small' }),
        h('span', { class: 'member-body' },
          h('span', { class: 'member-name' }, isMe ? `${member.name} (you)` : member.name),
          h('span', { class: 'member-status' }, isMe ? 'online' : presenceText(presence))),
        member.role === 'member' ? null : h('span', { class: `role ${member.role}` }, member.role),
        canRemove ? h('button', {
          type: 'button', class: 'link-button danger', 'aria-label': `Remove ${member.name}`,
          onclick: () => this.#remove(member.user_id),
        }, 'Remove') : null);
    }));
    byId('add-member-form').hidden = !canManage;
  }

  async #remove(userId) {
    const chatId = this.#infoChat;
    await guarded(byId('chat-info-error'), async () => {
      const reply = await this.#session.request('remove_member',
        { chat_id: chatId, user_id: userId });
      this.#store.upsertChat(reply.chat);
    });
  }
}

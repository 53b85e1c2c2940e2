// The browser client's entry point: builds the pieces and switches between the sign-in form
// and the two-pane chat screen. See docs/web-client.md.

import { ChatListView } from './chat_list_view.js';
import { ChatStore } from './chat_store.js';
import { Connection } from './connection.js';
import { ConversationView } from './conversation_view.js';
import { Dialogs } from './dialogs.js';
import { avatar, byId } from './dom.js';
import { Session } from './session.js';

const kCountdownTickMs = 250;
const kSecondMs = 1_000;

const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
const connection = new Connection(socketUrl);
const store = new ChatStore();
const session = new Session(connection, store, localStorage);
const chatList = new ChatListView(byId('chat-list'), byId('no-chats'), store, session, openChat);
const conversation = new ConversationView(store, session);
const dialogs = new Dialogs(store, session);

function chatFromHash() {
  const match = /^#chat-(\d+)$/u.exec(location.hash);
  return match ? Number(match[1]) : 0;
}

function openChat(chatId) {
  chatList.openChat = chatId;
  session.visibleChat = chatId;
  document.body.classList.toggle('conversation-open', Boolean(chatId));
  const hash = chatId ? `#chat-${chatId}` : '';
  if (location.hash !== hash) history.replaceState(null, '', hash || location.pathname);
  conversation.open(chatId);
  chatList.render();
  if (chatId) session.markSeen(chatId);
}

conversation.onBack = () => openChat(0);
conversation.onInfo = () => dialogs.showChatInfo(conversation.chatId);
dialogs.onOpenChat = openChat;

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    chatList.render();
    if (conversation.chatId) conversation.render();
    dialogs.renderChatInfo();
  });
}
store.addEventListener('change', scheduleRender);
session.addEventListener('outbox', scheduleRender);

function showScreen() {
  const signedIn = Boolean(session.user && session.token);
  byId('sign-in').hidden = signedIn;
  byId('app').hidden = !signedIn;
  if (!signedIn) return;
  byId('me-name').textContent = session.user.name;
  byId('me-avatar').replaceChildren(avatar(session.user.name, { size: 'small' }));
}

function connectionText() {
  if (connection.state === 'offline') {
    const seconds = Math.max(0, Math.ceil((connection.retryAt - Date.now()) / kSecondMs));
    return { state: 'offline', text: `Offline. Retrying in ${seconds} s` };
  }
  if (connection.state !== 'open') return { state: 'connecting', text: 'Connecting…' };
  if (session.state === 'ready') return { state: 'online', text: 'Online' };
  if (session.state === 'syncing') return { state: 'connecting', text: 'Updating…' };
  if (session.state === 'signed_out') return { state: 'online', text: 'Connected' };
  return { state: 'connecting', text: 'Logging in…' };
}

function showConnection() {
  const { state, text } = connectionText();
  const bar = byId('connection');
  bar.dataset.state = state;
  byId('connection-text').textContent = text;
  byId('retry-now').hidden = state !== 'offline';
  byId('sign-in-connection').textContent = state === 'online' ? '' : text;
}
connection.addEventListener('state', showConnection);
session.addEventListener('state', () => {
  store.setLive(session.state === 'ready');
  showConnection();
  scheduleRender();
  showScreen();
  if (session.state === 'ready') {
    if (!conversation.chatId && chatFromHash() && store.chats.has(chatFromHash())) {
      openChat(chatFromHash());
    } else if (conversation.chatId) {
      conversation.refresh();
    }
  }
});
session.addEventListener('signedout', (event) => {
  // A dialog left open would stay on top of the sign-in form.
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  openChat(0);
  byId('sign-in-error').textContent = event.detail;
  showScreen();
});
setInterval(() => {
  if (connection.state === 'offline') showConnection();
}, kCountdownTickMs);
byId('retry-now').addEventListener('click', () => connection.retryNow());

// The browser knows before the socket does when the network goes; it also knows when it
// comes back, which is a better moment to retry than the end of the backoff.
window.addEventListener('offline', () => connection.drop());
window.addEventListener('online', () => connection.retryNow());
document.addEventListener('visibilitychange', () => {
  if (conversation.chatId) session.markSeen(conversation.chatId);
});

async function signIn(kind) {
  const name = byId('sign-in-name').value.trim();
  const password = byId('sign-in-password').value;
  const error = byId('sign-in-error');
  error.textContent = '';
  if (!name || !password) {
    error.textContent = 'Enter a user name and a password.';
    return;
  }
  try {
    await session.signIn(kind, name, password);
    byId('sign-in-password').value = '';
  } catch (failure) {
    error.textContent = failure.code === 'disconnected'
      ? 'Not connected to the server yet. Try again in a moment.'
      : failure.message;
  }
}
byId('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn('login');
});
byId('register').addEventListener('click', () => signIn('register'));
byId('log-out').addEventListener('click', () => session.signOut());

showScreen();
showConnection();
connection.start();

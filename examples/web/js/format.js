// How times, dates and presence read to people, in the browser's locale.

const kMinuteMs = 60_000;
const kDayMs = 24 * 60 * kMinuteMs;
const kWeekDays = 6;

function startOfDay(ms) {
  const day = new Date(ms);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

export function sameDay(a, b) {
  return startOfDay(a) === startOfDay(b);
}

export function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

function daysAgo(ms, now) {
  return Math.round((startOfDay(now) - startOfDay(ms)) / kDayMs);
}

/** The label of a date separator in a conversation. */
export function dayLabel(ms, now = Date.now()) {
  const days = daysAgo(ms, now);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return new Date(ms).toLocaleDateString([], {
    weekday: days <= kWeekDays ? 'long' : undefined,
    day: 'numeric',
    month: 'long',
    year: sameYear ? undefined : 'numeric',
  });
}

/** The short time of a chat's newest message in the chat list. */
export function listTime(ms, now = Date.now()) {
  const days = daysAgo(ms, now);
  if (days === 0) return clockTime(ms);
  if (days === 1) return 'Yesterday';
  if (days <= kWeekDays) return new Date(ms).toLocaleDateString([], { weekday: 'short' });
  return new Date(ms).toLocaleDateString([], { day: 'numeric', month: 'short' });
}

/** "online", "last seen 5 minutes ago", "last seen yesterday at 14:03", ... */
export function presenceText(presence, now = Date.now()) {
  if (!presence) return '';
  if (presence.online) return 'online';
  const seen = presence.last_seen;
  if (!seen) return 'offline';
  const minutes = Math.floor((now - seen) / kMinuteMs);
  if (minutes < 1) return 'last seen just now';
  if (minutes < 60) return `last seen ${minutes} min ago`;
  const days = daysAgo(seen, now);
  if (days === 0) return `last seen today at ${clockTime(seen)}`;
  if (days === 1) return `last seen yesterday at ${clockTime(seen)}`;
  return `last seen ${new Date(seen).toLocaleDateString([], { day: 'numeric', month: 'short' })}`;
}

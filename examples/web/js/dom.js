// Builds DOM nodes. Strings always become text nodes or attribute values, never markup, so
// user data (names, messages, titles) can never turn into HTML.

/**
 * h('button', {class: 'primary', onclick: f, 'aria-label': 'Send'}, 'Send')
 * Props: `class`, `text` (textContent), `on<event>` (listener), `dataset` (object), `hidden`;
 * anything else is an attribute (true for a bare attribute, false/null/undefined to omit).
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`index.html has no #${id}`);
  return node;
}

const kAvatarHues = 12;

function nameHue(name) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return (hash % kAvatarHues) * (360 / kAvatarHues);
}

function initials(name) {
  const words = name.split(/[\s._-]+/u).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[1]] : [name];
  return letters.map((word) => Array.from(word)[0] ?? '').join('').toUpperCase() || '?';
}

/** A round avatar with the name's initials; `online` adds the presence dot. */
export function avatar(name, { online = false, group = false, size = '' } = {}) {
  const node = h('span',
    { class: `avatar ${size} ${group ? 'group' : ''}`, 'aria-hidden': 'true' }, initials(name));
  node.style.setProperty('--hue', String(nameHue(name)));
  if (online) node.append(h('span', { class: 'online-dot', title: 'online' }));
  return node;
}

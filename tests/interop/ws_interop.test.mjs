// Interop with Node's `ws` package: a Node client against our server (ws_echo in server mode).
// WS_ECHO names the ws_echo binary. Skipped, with a reason, when `npm ci` has not been run here.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

const here = new URL('.', import.meta.url).pathname;
const haveModules = existsSync(`${here}node_modules/ws`);
const echoPath = process.env.WS_ECHO ?? '';
const skip = !haveModules
  ? 'tests/interop/node_modules is absent: run `npm ci` in tests/interop'
  : !existsSync(echoPath) ? 'set WS_ECHO to the ws_echo binary' : false;
const WebSocket = skip ? null : (await import('ws')).default;

const LIMIT_MS = 20_000; // bound on every wait; reaching it fails the test
let server = null;
let url = '';

function withLimit(promise, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), LIMIT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function open() {
  const ws = new WebSocket(url);
  await withLimit(once(ws, 'open'), 'open');
  return ws;
}

async function nextMessage(ws) {
  const [data, isBinary] = await withLimit(once(ws, 'message'), 'message');
  assert.equal(isBinary, false);
  return data.toString('utf8');
}

before(async () => {
  if (skip) return;
  server = spawn(echoPath, ['server'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout });
  const [line] = await withLimit(once(lines, 'line'), 'server port');
  assert.match(line, /^PORT \d+$/);
  url = `ws://127.0.0.1:${line.split(' ')[1]}/ws`;
});

after(async () => {
  if (!server) return;
  server.stdin.end();
  await withLimit(once(server, 'exit'), 'server exit');
});

test('a small text is echoed', { skip }, async () => {
  const ws = await open();
  ws.send('hello');
  assert.equal(await nextMessage(ws), 'hello');
  ws.close();
});

test('a 70 KB message is echoed intact', { skip }, async () => {
  const ws = await open();
  const text = Array.from({ length: 70_000 }, (_, i) => String.fromCharCode(97 + (i % 26)))
    .join('');
  ws.send(text);
  assert.equal(await nextMessage(ws), text);
  ws.close();
});

test('a fragmented message is reassembled', { skip }, async () => {
  const ws = await open();
  ws.send('frag', { fin: false });
  ws.send('men', { fin: false });
  ws.send('ted \u{1F600}', { fin: true });
  assert.equal(await nextMessage(ws), 'fragmented \u{1F600}');
  ws.close();
});

test('emoji and accents survive', { skip }, async () => {
  const ws = await open();
  const text = 'smile \u{1F600} caf\u00e9 \u20ac \u{10FFFF}';
  ws.send(text);
  assert.equal(await nextMessage(ws), text);
  ws.close();
});

test('a ping is answered with its payload', { skip }, async () => {
  const ws = await open();
  ws.ping('are you there');
  const [payload] = await withLimit(once(ws, 'pong'), 'pong');
  assert.equal(payload.toString(), 'are you there');
  ws.close();
});

test('the client close code is echoed', { skip }, async () => {
  const ws = await open();
  ws.close(4000, 'bye');
  const [code, reason] = await withLimit(once(ws, 'close'), 'close');
  assert.equal(code, 4000);
  assert.equal(reason.toString(), 'bye');
});

test('the server close code reaches the client', { skip }, async () => {
  const ws = await open();
  ws.send('close:4001');
  const [code, reason] = await withLimit(once(ws, 'close'), 'close');
  assert.equal(code, 4001);
  assert.equal(reason.toString(), 'requested');
});

test('many messages come back in order', { skip }, async () => {
  const ws = await open();
  const received = [];
  const all = new Promise((resolve) => {
    ws.on('message', (data) => {
      received.push(data.toString());
      if (received.length === 500) resolve();
    });
  });
  for (let i = 0; i < 500; i++) ws.send(String(i));
  await withLimit(all, '500 echoes');
  assert.deepEqual(received, Array.from({ length: 500 }, (_, i) => String(i)));
  ws.close();
});

#!/usr/bin/env node
// How fast the browser client (examples/web) renders a chat of large messages: the first page
// of a chat, each page of scroll-back, and a live message arriving with everything loaded.
// Each run starts its own messenger-server (127.0.0.1, a port the kernel picks, a fresh data
// folder), seeds one direct chat over the protocol with Node's `ws`, and drives Debian's
// Chromium with playwright-core. See bench/web/README.md.
//
//   node bench/web/scrollback.mjs [--server BIN] [--web-root DIR]... [--messages N]
//                                 [--size BYTES] [--runs N] [--live N] [--json]
//
// Given --web-root more than once, the runs of the folders alternate (A B A B ...), so that a
// machine getting busier or quieter meanwhile weighs on each version alike.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// No npm install of our own: the two test folders already hold what is needed.
const kPlaywright = new URL('../../tests/web/node_modules/playwright-core/index.mjs',
  import.meta.url);
const kWs = new URL('../../tests/interop/node_modules/ws/wrapper.mjs', import.meta.url);
const kChromium = '/usr/bin/chromium';
const kDesktop = { width: 1200, height: 760 };
const kPassword = 'a long enough benchmark password';
const kSenderName = 'sender';
const kReaderName = 'reader';
/** The protocol's bound on a message text (docs/protocol.md, Limits). */
const kMaxTextBytes = 16384;
/** Requests in flight while seeding: well under the server's 256 unanswered per connection. */
const kSeedWindow = 32;
const kServerStartMs = 20_000;
/** Bound on any one wait in the page; reaching it is reported, not hidden. */
const kWaitMs = 30_000;
/** The login syncs the whole stream of a new browser, which grows with the seeded bytes. */
const kLoginWaitMs = 120_000;
/** No change in #messages for this long counts as settled between two measurements. */
const kQuietMs = 250;

const usage = `usage: node bench/web/scrollback.mjs [options]

  --server BIN     messenger-server binary (env MESSENGER_SERVER;
                   default build/release/examples/server/messenger-server)
  --web-root DIR   the browser client to measure (env MESSENGER_WEB_ROOT; default examples/web);
                   repeat it to compare versions: their runs alternate
  --messages N     messages seeded into the chat (env BENCH_MESSAGES; default 300)
  --size BYTES     bytes of each message, 1 to ${kMaxTextBytes} (env BENCH_SIZE; default 16000)
  --runs N         runs, each with its own server and browser (env BENCH_RUNS; default 3)
  --live N         live messages timed per run (env BENCH_LIVE; default 10)
  --json           print one JSON object instead of tables
  --help           show this

Default paths are relative to the repository root; paths given are relative to the current
folder. Progress goes to stderr, results to stdout.`;

function options() {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      'web-root': { type: 'string', multiple: true },
      messages: { type: 'string' },
      size: { type: 'string' },
      runs: { type: 'string' },
      live: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const env = process.env;
  const path = (given, fallback) => (given ? resolve(given) : join(repoRoot, fallback));
  const count = (name, given, fallback, max = Number.MAX_SAFE_INTEGER) => {
    const text = given ?? String(fallback);
    const value = Number(text);
    if (!/^\d+$/u.test(text) || value < 1 || value > max) {
      throw new Error(`--${name} must be an integer from 1 to ${max}, not "${text}"`);
    }
    return value;
  };
  const config = {
    server: path(values.server ?? env.MESSENGER_SERVER,
      'build/release/examples/server/messenger-server'),
    webRoots: (values['web-root'] ?? [env.MESSENGER_WEB_ROOT ?? '']).map((root) =>
      path(root, 'examples/web')),
    messages: count('messages', values.messages ?? env.BENCH_MESSAGES, 300),
    size: count('size', values.size ?? env.BENCH_SIZE, 16000, kMaxTextBytes),
    runs: count('runs', values.runs ?? env.BENCH_RUNS, 3),
    live: count('live', values.live ?? env.BENCH_LIVE, 10),
    json: values.json,
  };
  if (!existsSync(config.server)) throw new Error(`no messenger-server at ${config.server}`);
  for (const root of config.webRoots) {
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      throw new Error(`the web root ${root} is not a folder`);
    }
    if (!existsSync(join(root, 'index.html'))) {
      throw new Error(`the web root ${root} has no index.html`);
    }
  }
  if (!existsSync(kChromium)) throw new Error(`${kChromium} is absent (Debian package chromium)`);
  if (!existsSync(fileURLToPath(kPlaywright))) {
    throw new Error('tests/web/node_modules/playwright-core is absent: run `npm ci` in tests/web');
  }
  if (!existsSync(fileURLToPath(kWs))) {
    throw new Error('tests/interop/node_modules/ws is absent: run `npm ci` in tests/interop');
  }
  return config;
}

const progress = (text) => process.stderr.write(`${text}\n`);

function withLimit(promise, what, ms) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * A digest of every file under the web root, so that a result names the version it measured:
 * the client may be edited while the benchmark runs.
 */
function fingerprint(root) {
  const hash = createHash('sha256');
  const walk = (folder) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else {
        hash.update(`${relative(root, path)}\0`).update(readFileSync(path)).update('\0');
      }
    }
  };
  walk(root);
  return hash.digest('hex').slice(0, 12);
}

// ---------------------------------------------------------------------------------------------
// Message bodies: word-like runs of letters, so that lines wrap as real text does; the same
// for every run and every version of the client, so that two runs lay out the same text.

function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function body(index, size) {
  const random = prng(index * 7919 + 17);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let text = `m${index} `;
  while (text.length < size) {
    const length = 1 + Math.floor(random() * 10);
    let word = '';
    for (let i = 0; i < length; i++) word += letters[Math.floor(random() * letters.length)];
    text += `${random() < 0.08 ? word.toUpperCase() : word} `;
  }
  // Exactly `size` bytes (ASCII), never ending in a space the client might trim.
  return `${text.slice(0, size - 1)}x`.slice(-size);
}

// ---------------------------------------------------------------------------------------------
// The protocol from Node (docs/protocol.md): requests matched to replies by id.

class ProtocolClient {
  #socket;
  #nextId = 0;
  #pending = new Map();

  static async connect(WebSocket, url) {
    const client = new ProtocolClient();
    client.#socket = new WebSocket(url);
    client.#socket.on('message', (data) => client.#received(data));
    client.#socket.on('close', () => {
      for (const { reject } of client.#pending.values()) reject(new Error('socket closed'));
      client.#pending.clear();
    });
    await withLimit(once(client.#socket, 'open'), `WebSocket to ${url}`, kServerStartMs);
    await client.call('hello', { protocol: 1, client: 'bench-web-scrollback' });
    return client;
  }

  #received(data) {
    const frame = JSON.parse(String(data));
    if (frame.id === undefined) return;  // an event: not needed from this side
    const waiting = this.#pending.get(frame.id);
    if (!waiting) return;
    this.#pending.delete(frame.id);
    if (frame.error) {
      const error = new Error(`${frame.error.code}: ${frame.error.message}`);
      error.code = frame.error.code;
      waiting.reject(error);
    } else {
      waiting.resolve(frame);
    }
  }

  call(type, fields = {}) {
    const id = ++this.#nextId;
    return new Promise((resolvePromise, reject) => {
      this.#pending.set(id, { resolve: resolvePromise, reject });
      this.#socket.send(JSON.stringify({ id, type, ...fields }));
    });
  }

  /** send_message, sent again with the same client_msg_id while the server rate-limits. */
  async send(chatId, clientMsgId, text) {
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        return await this.call('send_message',
          { chat_id: chatId, client_msg_id: clientMsgId, text });
      } catch (error) {
        if (error.code !== 'rate_limited') throw error;
        await sleep(delay);
      }
    }
  }

  close() {
    this.#socket.close();
  }
}

async function seed(WebSocket, url, config) {
  const reader = await ProtocolClient.connect(WebSocket, url);
  const readerUser = (await reader.call('register',
    { name: kReaderName, password: kPassword })).user;
  // The reader logs in again from the browser; this socket only made the account.
  reader.close();
  const sender = await ProtocolClient.connect(WebSocket, url);
  await sender.call('register', { name: kSenderName, password: kPassword });
  const { chat } = await sender.call('open_direct_chat', { user_id: readerUser.id });
  let next = 1;
  const worker = async () => {
    while (next <= config.messages) {
      const index = next++;
      await sender.send(chat.id, `seed-${index}`, body(index, config.size));
    }
  };
  await Promise.all(Array.from({ length: kSeedWindow }, worker));
  return { sender, chatId: chat.id };
}

// ---------------------------------------------------------------------------------------------
// The server.

async function startServer(config, webRoot, dataDir) {
  const child = spawn(config.server, ['--host', '127.0.0.1', '--port', '0', '--data-dir',
    dataDir, '--web-root', webRoot, '--password-cost', 'minimum'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  // The last lines of its log, to show when it fails.
  const log = [];
  const lines = createInterface({ input: child.stderr });
  lines.on('line', (line) => {
    log.push(line);
    if (log.length > 20) log.shift();
  });
  const port = await withLimit(new Promise((resolvePort, reject) => {
    lines.on('line', (line) => {
      // Port 0: the kernel picks a free one, and the log names it; no race with a probe.
      const match = /listening on ws:\/\/127\.0\.0\.1:(\d+)\/ws/u.exec(line);
      if (match) resolvePort(Number(match[1]));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(
      `messenger-server exited with ${code}:\n${log.join('\n')}`)));
  }), 'messenger-server start', kServerStartMs).catch((error) => {
    child.kill('SIGTERM');
    throw error;
  });
  return { child, port, log };
}

async function stopServer(server) {
  if (server.child.exitCode !== null) return server.child.exitCode;
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  const [code] = await withLimit(exited, 'messenger-server stop', kServerStartMs);
  return code;
}

// ---------------------------------------------------------------------------------------------
// In the page. Installed before the client's own scripts: every WebSocket notes when a frame
// arrives, ahead of the client's listeners, so that the time spent in the page after the
// server's answer can be told apart from the time the answer took to come.

function instrumentPage() {
  const Native = window.WebSocket;
  const bench = { lastFrameAt: 0, lastMessageEventAt: 0 };
  window.__bench = bench;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const now = performance.now();
        bench.lastFrameAt = now;
        // Only the head of the frame: a history page is half a megabyte.
        if (typeof event.data === 'string' &&
            event.data.slice(0, 40).replace(/\s/gu, '').startsWith('{"event":"message"')) {
          bench.lastMessageEventAt = now;
        }
      });
    }
  };
  const view = () => document.getElementById('messages');
  const count = () => view()?.querySelectorAll('[data-seq]').length ?? 0;
  const frames = () => new Promise((done) => {
    requestAnimationFrame(() => requestAnimationFrame(done));
  });
  /** Resolves with performance.now() once `test()` holds, checked after each DOM change. */
  const until = (test, ms) => new Promise((resolveWait, reject) => {
    if (test()) {
      resolveWait(performance.now());
      return;
    }
    const observer = new MutationObserver(() => {
      if (!test()) return;
      observer.disconnect();
      clearTimeout(timer);
      resolveWait(performance.now());
    });
    observer.observe(document.body, { childList: true, subtree: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`timed out after ${ms} ms; [data-seq] shown: ${count()}`));
    }, ms);
  });
  /** Resolves once #messages has not changed for `quiet` ms. */
  bench.settle = (quiet, ms) => new Promise((resolveSettle, reject) => {
    let timer = 0;
    const started = performance.now();
    const observer = new MutationObserver(() => arm());
    const arm = () => {
      clearTimeout(timer);
      if (performance.now() - started > ms) {
        observer.disconnect();
        reject(new Error(`#messages kept changing for ${ms} ms`));
        return;
      }
      timer = setTimeout(() => {
        observer.disconnect();
        resolveSettle();
      }, quiet);
    };
    observer.observe(view(), { childList: true, subtree: true, characterData: true });
    arm();
  });
  bench.count = count;
  /** Clicks the chat row named `name`; time until its first bubbles are painted. */
  bench.openChat = async (name, ms) => {
    const row = [...document.querySelectorAll('.chat-row')]
      .find((candidate) => candidate.querySelector('.chat-name')?.textContent === name);
    if (!row) throw new Error(`no chat row named ${name}`);
    const start = performance.now();
    row.click();
    const shownAt = await until(() => count() > 0, ms);
    await frames();
    const paintedAt = performance.now();
    return { ms: paintedAt - start, domMs: shownAt - start, shown: count() };
  };
  /** scrollTop = 0; time until more bubbles are in the DOM and a frame is painted. */
  bench.scrollBack = async (ms) => {
    const before = count();
    const start = performance.now();
    view().scrollTop = 0;
    const shownAt = await until(() => count() > before, ms);
    // The frame that carried the page is the last one before the DOM changed; read now, as a
    // receipt or presence frame may come in during the frames below.
    const replyAt = bench.lastFrameAt > start ? bench.lastFrameAt : null;
    await frames();
    const paintedAt = performance.now();
    return {
      ms: paintedAt - start,
      domMs: shownAt - start,
      afterReplyMs: replyAt === null ? null : paintedAt - replyAt,
      added: count() - before,
      shown: count(),
    };
  };
  bench.toBottom = () => {
    view().scrollTop = view().scrollHeight;
  };
  /** Arms a wait for one more bubble; `bench.live` then resolves once it is painted. */
  bench.armLive = (ms) => {
    const before = count();
    const armedAt = performance.now();
    bench.live = until(() => count() > before, ms).then(async (shownAt) => {
      const eventAt = bench.lastMessageEventAt > armedAt ? bench.lastMessageEventAt : null;
      await frames();
      const paintedAt = performance.now();
      return {
        // Wall clock, compared with Date.now() in Node on the same machine; not
        // timeOrigin + now(), which drifts from it as NTP slews the clock.
        paintedWallMs: Date.now(),
        domAfterEventMs: eventAt === null ? null : shownAt - eventAt,
        afterEventMs: eventAt === null ? null : paintedAt - eventAt,
        shown: count(),
      };
    });
  };
}

// ---------------------------------------------------------------------------------------------
// One run.

async function run(index, config, webRoot, modules) {
  const problems = [];
  const version = fingerprint(webRoot);
  const dataDir = mkdtempSync(join(tmpdir(), 'messenger-bench-web-'));
  let server = null;
  let browser = null;
  let sender = null;
  try {
    server = await startServer(config, webRoot, dataDir);
    const origin = `http://127.0.0.1:${server.port}`;
    progress(`run ${index} of ${webRoot}: server on ${origin}, seeding ${config.messages} ` +
      `messages of ${config.size} bytes`);
    const seedStart = performance.now();
    const seeded = await seed(modules.WebSocket, `ws://127.0.0.1:${server.port}/ws`, config);
    sender = seeded.sender;
    const seedMs = performance.now() - seedStart;

    browser = await modules.chromium.launch({ executablePath: kChromium, headless: true,
      args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: kDesktop });
    // Nothing but this server: anything else the page asks for is refused and reported.
    await context.route((url) => url.origin !== origin, (route) => {
      problems.push(`blocked a request to ${route.request().url()}`);
      return route.abort();
    });
    await context.addInitScript(instrumentPage);
    const page = await context.newPage();
    page.setDefaultTimeout(kWaitMs);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${origin}/`);
    await page.fill('#sign-in-name', kReaderName);
    await page.fill('#sign-in-password', kPassword);
    // A new browser syncs the reader's whole stream before it shows online.
    const loginStart = performance.now();
    await page.click('#log-in');
    await page.waitForSelector('#connection[data-state="online"]', { timeout: kLoginWaitMs });
    const loginMs = performance.now() - loginStart;
    await page.locator('.chat-row .chat-name', { hasText: kSenderName }).waitFor();
    progress(`run ${index}: seeded in ${seedMs.toFixed(0)} ms, logged in in ` +
      `${loginMs.toFixed(0)} ms; opening the chat`);

    const firstPage = await page.evaluate(([name, ms]) => window.__bench.openChat(name, ms),
      [kSenderName, kWaitMs]);
    await page.evaluate(([quiet, ms]) => window.__bench.settle(quiet, ms), [kQuietMs, kWaitMs]);

    const pages = [];
    for (let shown = await page.evaluate(() => window.__bench.count());
      shown < config.messages && pages.length <= config.messages;) {
      let result;
      try {
        result = await page.evaluate((ms) => window.__bench.scrollBack(ms), kWaitMs);
      } catch (error) {
        problems.push(`scroll-back page ${pages.length + 1} after ${shown} bubbles: ` +
          `${error.message.split('\n')[0]}`);
        break;
      }
      pages.push({ page: pages.length + 1, ...result });
      shown = result.shown;
      progress(`run ${index}: page ${pages.length}: +${result.added} = ${result.shown} in ` +
        `${result.ms.toFixed(1)} ms`);
      await page.evaluate(([quiet, ms]) => window.__bench.settle(quiet, ms), [kQuietMs, kWaitMs]);
    }
    const allShown = pages.length ? pages[pages.length - 1].shown : firstPage.shown;
    if (allShown !== config.messages) {
      problems.push(`${allShown} bubbles shown after scroll-back, ${config.messages} seeded`);
    }

    // Live: the view at the bottom, as someone reading the newest messages has it.
    await page.evaluate(() => window.__bench.toBottom());
    await page.evaluate(([quiet, ms]) => window.__bench.settle(quiet, ms), [kQuietMs, kWaitMs]);
    const live = [];
    for (let i = 1; i <= config.live; i++) {
      await page.evaluate((ms) => window.__bench.armLive(ms), kWaitMs);
      const sentWallMs = Date.now();
      const reply = sender.send(seeded.chatId, `live-${i}`, body(config.messages + i,
        config.size));
      // Its failure is reported below, after the page's wait; not as an unhandled rejection.
      reply.catch(() => {});
      try {
        const seen = await page.evaluate(() => window.__bench.live);
        await reply;
        live.push({ ms: seen.paintedWallMs - sentWallMs, afterEventMs: seen.afterEventMs,
          domAfterEventMs: seen.domAfterEventMs, shown: seen.shown });
      } catch (error) {
        problems.push(`live message ${i}: ${error.message.split('\n')[0]}`);
        await reply.catch(() => {});
        break;
      }
      await page.evaluate(([quiet, ms]) => window.__bench.settle(quiet, ms), [kQuietMs, kWaitMs]);
    }

    if (fingerprint(webRoot) !== version) {
      problems.push(`the files of ${webRoot} changed during this run; its figures are mixed`);
    }
    return {
      run: index,
      version,
      seedMs,
      loginMs,
      firstPage,
      pages,
      scrollBack: {
        pages: pages.length,
        totalMs: pages.reduce((sum, page) => sum + page.ms, 0),
        medianPageMs: median(pages.map((page) => page.ms)),
        medianAfterReplyMs: median(pages.map((page) => page.afterReplyMs)),
        shown: allShown,
      },
      live: {
        samples: live,
        medianMs: median(live.map((sample) => sample.ms)),
        medianAfterEventMs: median(live.map((sample) => sample.afterEventMs)),
      },
      problems,
    };
  } catch (error) {
    // What the page said before it failed often says why.
    error.problems = problems;
    throw error;
  } finally {
    sender?.close();
    if (browser) await browser.close().catch(() => {});
    if (server) {
      const code = await stopServer(server).catch((error) => error.message);
      if (code !== 0) progress(`run ${index}: messenger-server stopped with ${code}`);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Output.

function summarize(all) {
  const runs = all.filter((one) => !one.error);
  const pick = (get) => median(runs.map(get));
  const pageCount = Math.max(0, ...runs.map((one) => one.pages.length));
  const pages = [];
  for (let i = 0; i < pageCount; i++) {
    const these = runs.map((one) => one.pages[i]).filter(Boolean);
    pages.push({
      page: i + 1,
      added: median(these.map((page) => page.added)),
      shown: median(these.map((page) => page.shown)),
      ms: median(these.map((page) => page.ms)),
      afterReplyMs: median(these.map((page) => page.afterReplyMs)),
    });
  }
  return {
    loginMs: pick((one) => one.loginMs),
    firstPageMs: pick((one) => one.firstPage.ms),
    firstPageShown: pick((one) => one.firstPage.shown),
    scrollBackTotalMs: pick((one) => one.scrollBack.totalMs),
    scrollBackMedianPageMs: pick((one) => one.scrollBack.medianPageMs),
    scrollBackMedianAfterReplyMs: pick((one) => one.scrollBack.medianAfterReplyMs),
    liveMs: pick((one) => one.live.medianMs),
    liveAfterEventMs: pick((one) => one.live.medianAfterEventMs),
    pages,
  };
}

const ms = (value) => (value === null || value === undefined ? '-' : value.toFixed(1));
const pad = (value, width) => String(value).padStart(width);

function pageTable(pages) {
  const lines = ['    page  added  shown        ms  after reply ms'];
  for (const page of pages) {
    lines.push(`    ${pad(page.page, 4)}  ${pad(page.added, 5)}  ${pad(page.shown, 5)}  ` +
      `${pad(ms(page.ms), 8)}  ${pad(ms(page.afterReplyMs), 14)}`);
  }
  return lines;
}

/** One line of figures: a label, then milliseconds and a note. */
const line = (label, value, note = '') => `  ${label.padEnd(30)}${pad(ms(value), 9)} ms${note}`;

function rootReport(result) {
  const lines = [`browser client: ${result.webRoot}`, ''];
  for (const one of result.runs) {
    lines.push(`run ${one.run} (files ${one.version})`);
    if (one.error) {
      lines.push(`  FAILED: ${one.error}`);
      for (const problem of one.problems) lines.push(`  PROBLEM: ${problem}`);
      lines.push('');
      continue;
    }
    lines.push(line('seeding over the protocol', one.seedMs, '  (not the client)'));
    lines.push(line('login until online (sync)', one.loginMs));
    lines.push(line('first page', one.firstPage.ms, `, ${one.firstPage.shown} bubbles`));
    lines.push('  scroll-back:');
    lines.push(...pageTable(one.pages));
    lines.push(line('scroll-back, all pages', one.scrollBack.totalMs,
      `, ${one.scrollBack.pages} pages, median ${ms(one.scrollBack.medianPageMs)} ms ` +
      `(after reply ${ms(one.scrollBack.medianAfterReplyMs)} ms)`));
    lines.push(line(`live message, median of ${one.live.samples.length}`, one.live.medianMs,
      ` sent to painted (in the page ${ms(one.live.medianAfterEventMs)} ms)`));
    for (const problem of one.problems) lines.push(`  PROBLEM: ${problem}`);
    lines.push('');
  }
  const medians = result.medians;
  const done = result.runs.filter((one) => !one.error).length;
  lines.push(`medians across ${done} run(s) of ${result.webRoot}`);
  const versions = [...new Set(result.runs.map((one) => one.version))];
  if (versions.length > 1) {
    lines.push(`  PROBLEM: the files changed between runs (${versions.join(', ')}): ` +
      'these medians mix versions');
  }
  lines.push(line('login until online (sync)', medians.loginMs));
  lines.push(line('first page', medians.firstPageMs,
    `, ${medians.firstPageShown ?? '-'} bubbles`));
  lines.push('  scroll-back, per page:');
  lines.push(...pageTable(medians.pages));
  lines.push(line('scroll-back, all pages', medians.scrollBackTotalMs,
    `, median page ${ms(medians.scrollBackMedianPageMs)} ms ` +
    `(after reply ${ms(medians.scrollBackMedianAfterReplyMs)} ms)`));
  lines.push(line('live message', medians.liveMs,
    ` sent to painted (in the page ${ms(medians.liveAfterEventMs)} ms)`));
  return lines;
}

/** Medians of every folder side by side, labelled A, B, ... */
function comparison(results) {
  const rows = [
    ['login until online (sync)', (m) => m.loginMs],
    ['first page', (m) => m.firstPageMs],
    ['scroll-back, all pages', (m) => m.scrollBackTotalMs],
    ['scroll-back, median page', (m) => m.scrollBackMedianPageMs],
    ['  of which after the reply', (m) => m.scrollBackMedianAfterReplyMs],
    ['live message', (m) => m.liveMs],
    ['  of which in the page', (m) => m.liveAfterEventMs],
  ];
  const label = (i) => String.fromCharCode(65 + i);
  const lines = ['comparison of the medians (ms)'];
  results.forEach((result, i) => lines.push(`  ${label(i)}: ${result.webRoot} (files ` +
    `${[...new Set(result.runs.map((one) => one.version))].join(', ')})`));
  lines.push(`  ${''.padEnd(28)}${results.map((_, i) => pad(label(i), 10)).join('')}`);
  for (const [name, get] of rows) {
    lines.push(`  ${name.padEnd(28)}${results.map((r) => pad(ms(get(r.medians)), 10)).join('')}`);
  }
  return lines;
}

function report(config, results) {
  const lines = [
    `server: ${config.server}`,
    `${config.messages} messages of ${config.size} bytes, ${config.runs} run(s) per client, ` +
      `${config.live} live messages per run, viewport ${kDesktop.width}x${kDesktop.height}`,
    '',
  ];
  for (const result of results) lines.push(...rootReport(result), '');
  if (results.length > 1) lines.push(...comparison(results), '');
  return lines.join('\n');
}

async function main() {
  let config;
  try {
    config = options();
  } catch (error) {
    console.error(`${error.message}\n\n${usage}`);
    process.exit(2);
  }
  const { chromium } = await import(kPlaywright.href);
  const { WebSocket } = await import(kWs.href);
  const results = config.webRoots.map((webRoot) => ({ webRoot, runs: [], medians: null }));
  let failed = false;
  for (let i = 1; i <= config.runs; i++) {
    for (const result of results) {
      try {
        result.runs.push(await run(i, config, result.webRoot, { chromium, WebSocket }));
      } catch (error) {
        // One version failing (an older client without some element) leaves the others'.
        failed = true;
        progress(`run ${i} of ${result.webRoot} failed: ${error.stack ?? error}`);
        result.runs.push({ run: i, version: fingerprint(result.webRoot),
          error: error.message.split('\n')[0], problems: error.problems ?? [] });
      }
    }
  }
  for (const result of results) result.medians = summarize(result.runs);
  if (config.json) {
    const { json, ...shown } = config;
    // Tenths of a millisecond: the timers give no more, and the figures vary far more.
    const tenths = (key, value) => (typeof value === 'number' && !Number.isInteger(value)
      ? Math.round(value * 10) / 10 : value);
    console.log(JSON.stringify({ config: shown, results }, tenths, 2));
  } else {
    console.log(report(config, results));
  }
  if (failed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});

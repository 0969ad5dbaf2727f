// Pointdesk's service worker (issue 24), written by hand: no framework.
//
// - The app shell (the build's own files, listed below by `cargo xtask build app`) is kept in
//   a cache named by the build and served from it; any address of the app opens the cached
//   page, so the queue and a ticket open in a basement.
// - API reads go to the network first; when it fails (or keeps silent for 6 s) the last answer
//   for the same address is served and the page is told "offline, as of" that answer's time.
// - Work, comments, status changes and the timer that cannot reach the server wait in an
//   IndexedDB outbox and are sent again, in order, with the `Idempotency-Key` they were made
//   with (so a replay never acts twice): when the page says so (back online, at start, every
//   30 s while something waits; see boot.js). A refusal (409, 422…) stays in the outbox, shown
//   on its ticket until the engineer sends it again or discards it: nothing is dropped unseen.
// - A new build installs beside the running one and waits: the page offers "reload", which
//   tells it to take over.

const VERSION = 'dev';
const SHELL = [];

const SHELL_CACHE = 'pointdesk-shell-' + VERSION;
const READS = 'pointdesk-reads';
const API = '/api/v1/';
const STORED = 'x-pointdesk-stored';

// What may wait in the outbox: everyday work on a ticket. Money (completion, cause, quotes,
// top-ups) never waits: offline it fails, and the app says it needs a connection.
const QUEUED = [
  ['POST', /^\/api\/v1\/tickets\/(\d+)\/work$/, 'work'],
  ['POST', /^\/api\/v1\/tickets\/(\d+)\/comments$/, 'comment'],
  ['PUT', /^\/api\/v1\/tickets\/(\d+)\/status$/, 'status'],
  ['POST', /^\/api\/v1\/tickets\/(\d+)\/timer$/, 'timer_start'],
  ['POST', /^\/api\/v1\/tickets\/(\d+)\/timer\/stop$/, 'timer_stop'],
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((n) => n.startsWith('pointdesk-shell-') && n !== SHELL_CACHE)
            .map((n) => caches.delete(n)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  const m = event.data || {};
  if (m.reload) self.skipWaiting();
  else if (m.discard) change(m.discard, null).then(flush);
  else if (m.retry) change(m.retry, 'waiting').then(flush);
  else if (m.flush) flush();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (url.pathname.startsWith(API)) {
    if (request.mode === 'navigate') return;
    if (request.method === 'GET') {
      event.respondWith(read(event, url));
      return;
    }
    if (url.pathname === API + 'session') {
      // Signing in or out: the last answers belong to someone else now.
      event.respondWith(fetch(request).finally(() => caches.delete(READS)));
      return;
    }
    const queued = QUEUED.find(([method, path]) => method === request.method && path.test(url.pathname));
    if (queued) event.respondWith(write(event, request, queued));
    return;
  }
  if (request.method !== 'GET' || url.pathname.startsWith('/cdn-cgi/')) return;
  const path = request.mode === 'navigate' ? '/' : url.pathname;
  if (SHELL.includes(path)) {
    event.respondWith(
      caches.match(path, { cacheName: SHELL_CACHE }).then((hit) => hit || fetch(request)),
    );
  }
});

// ---- reads: the network first, the last answer when it fails ----

async function read(event, url) {
  const cache = await caches.open(READS);
  const network = fetch(event.request).then((answer) => {
    const type = answer.headers.get('content-type') || '';
    // Kept after the answer is handed on, so keeping it never slows a read (an answer that
    // came after the kept one was shown is kept all the same).
    if (answer.ok && type.includes('json')) {
      const kept = keep(cache, url, answer.clone());
      try {
        event.waitUntil(kept);
      } catch {
        // The event is over; the promise still runs.
      }
    }
    return answer;
  });
  const offline = async () => {
    const kept = await cache.match(url.href);
    if (kept) tell(event.clientId, { offline: Number(kept.headers.get(STORED)) });
    return kept;
  };
  // A basement's network often neither answers nor fails: after 6 s the kept answer is shown
  // (the request goes on and refreshes it for next time).
  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(() => offline().then(resolve), 6000);
  });
  try {
    const answer = await Promise.race([network, slow.then((kept) => kept || network)]);
    if (answer && !answer.headers.has(STORED)) {
      tell(event.clientId, { offline: 0 });
      // The server answers again: whatever waits can go now.
      all().then((kept) => kept.some((i) => i.state === 'waiting') && flush());
    }
    return answer;
  } catch (failed) {
    return (await offline()) || Response.error();
  } finally {
    clearTimeout(timer);
  }
}

async function keep(cache, url, answer) {
  const headers = new Headers(answer.headers);
  headers.set(STORED, String(Date.now()));
  const body = await answer.arrayBuffer();
  await cache.put(url.href, new Response(body, { status: answer.status, headers }));
  // The last 300 addresses are plenty for a day in the field; the oldest go first.
  const kept = await cache.keys();
  await Promise.all(kept.slice(0, Math.max(0, kept.length - 300)).map((r) => cache.delete(r)));
}

async function tell(clientId, message) {
  const client = clientId && (await self.clients.get(clientId));
  if (client) client.postMessage(message);
}

async function tellAll(message) {
  for (const client of await self.clients.matchAll()) client.postMessage(message);
}

// ---- the outbox ----

function db() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('pointdesk-outbox', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('items', { keyPath: 'n', autoIncrement: true });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

// One transaction on the items; `work` gets the store and may return a request whose result
// is the answer.
async function items(mode, work) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction('items', mode);
    const asked = work(tx.objectStore('items'));
    tx.oncomplete = () => resolve(asked && asked.result);
    tx.onerror = () => reject(tx.error);
  });
}

const all = () => items('readonly', (s) => s.getAll());

// Marks an item `waiting` again, or (state null) removes it.
async function change(n, state) {
  const item = await items('readonly', (s) => s.get(n));
  if (!item) return;
  await items('readwrite', (s) => (state ? s.put({ ...item, state, problem: null }) : s.delete(n)));
}

// Who is signed in on this device, as the last session answer said (items are theirs).
async function me() {
  const kept = await (await caches.open(READS)).match(location.origin + API + 'session');
  try {
    return kept ? (await kept.json()).me.id : null;
  } catch {
    return null;
  }
}

async function write(event, request, [, path, op]) {
  const body = await request.clone().text();
  const key = request.headers.get('idempotency-key');
  const waiting = (await all()).some((i) => i.state === 'waiting');
  if (!waiting || !key) {
    try {
      return await fetch(request);
    } catch (failed) {
      if (!key) throw failed;
    }
  }
  // Offline, or something older waits: this one goes behind it, in order.
  const ticket = Number(new URL(request.url).pathname.match(path)[1]);
  const item = { key, url: request.url, method: request.method, body, op, ticket, at: Date.now(), user: await me(), state: 'waiting' };
  item.n = await items('readwrite', (s) => s.add(item));
  await announce();
  if (waiting) flush();
  return new Response(JSON.stringify({ queued: item.n }), {
    status: 202,
    headers: { 'content-type': 'application/json', 'x-pointdesk-queued': String(item.n) },
  });
}

let flushing = null;

function flush() {
  flushing = flushing || send().finally(() => {
    flushing = null;
  });
  return flushing;
}

// Sends what waits, oldest first. The network failing, a signed-out session or a busy server
// stop the round (the next one tries again); a refusal stays on its ticket and holds back the
// rest of that ticket's items, so they never land out of order.
async function send() {
  const user = await me();
  const held = new Set();
  let sent = 0;
  let reached = false;
  for (const item of await all()) {
    if (item.state !== 'waiting' || item.user !== user) {
      held.add(item.ticket);
      continue;
    }
    if (held.has(item.ticket)) continue;
    let answer;
    try {
      answer = await fetch(item.url, {
        method: item.method,
        headers: { 'content-type': 'application/json', 'idempotency-key': item.key },
        body: item.body,
        credentials: 'same-origin',
      });
    } catch {
      break;
    }
    reached = true;
    if (answer.ok) {
      await items('readwrite', (s) => s.delete(item.n));
      sent += 1;
      continue;
    }
    if (answer.status === 401 || answer.status === 429 || answer.status >= 500) break;
    const problem = await answer.text();
    await items('readwrite', (s) => s.put({ ...item, state: 'refused', status: answer.status, problem }));
    held.add(item.ticket);
  }
  await announce(sent, reached);
}

// Every page hears what waits for the person signed in (the whole list: it is short; another
// person's items on a shared phone stay theirs), how many just went, and that the server
// answered (so the pages are no longer offline).
async function announce(sent = 0, reached = false) {
  const user = await me();
  const mine = (await all()).filter((i) => i.user === user || i.user === null);
  const news = { outbox: mine, sent };
  if (reached) news.offline = 0;
  await tellAll(news);
}

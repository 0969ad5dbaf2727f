// Starts the wasm app. trunk would start it from an inline <script>; this file does the same
// from 'self', so the Content-Security-Policy can refuse every inline script.
//
// Before that, it asks for the session and for what the first screen reads, so those answers
// travel while the wasm downloads and compiles instead of after it (the first useful screen:
// `cargo xtask bench`). The app's own `fetch` of the same URL receives that answer, once;
// whatever it has not taken within 10 s is forgotten, so no screen ever shows an old answer.
const reads = new Map();
window.__pointdeskReads = reads;
setTimeout(() => reads.clear(), 10000);

// One spelling per address: gloo-net's requests end an address with an empty `&`.
const canonical = (address) => {
  const url = new URL(address, location.href);
  url.search = new URLSearchParams(url.search).toString();
  return url.href;
};

const network = window.fetch.bind(window);
window.fetch = (input, init) => {
  const url = canonical(input instanceof Request ? input.url : input);
  const method = (input instanceof Request ? input.method : init?.method) || 'GET';
  const early = method === 'GET' ? reads.get(url) : undefined;
  if (!early) return network(input, init);
  reads.delete(url);
  return early.then((answer) => answer || network(input, init));
};

// A read's answer, read to the end at once (an unread body would keep its request open) and
// handed on as a fresh Response; `then` sees the text first. `null` when the network failed.
function read(path, then) {
  const url = canonical('/api/v1' + path);
  const answer = network(url, { headers: { accept: 'application/json' } })
    .then(async (r) => {
      const text = await r.text();
      if (then) then(r.status, text);
      const body = r.status === 204 ? null : text;
      return new Response(body, { status: r.status, statusText: r.statusText, headers: r.headers });
    })
    .catch(() => null);
  reads.set(url, answer);
}

// What the screen at this address reads first, for this person. Kept in step with the app by
// the browser suite (app.test.mjs: every read started here is taken).
function firstReads(me, path, query) {
  const paths = ['/notifications'];
  if (path === '/') {
    paths.push('/desk');
    if (me.organization) paths.push(`/organizations/${me.organization.id}/balance`);
  } else if (path === '/tickets') {
    const queue = encodeURIComponent(query.get('queue') ?? 'open');
    const q = encodeURIComponent(query.get('q') ?? '');
    paths.push(`/tickets?queue=${queue}&q=${q}`);
  }
  return paths;
}

// The first screen's reads start as soon as the session is known, before the app is handed
// the session's answer (so the app's own reads find them waiting).
read('/session', (status, text) => {
  const me = status === 200 ? JSON.parse(text).me : null;
  if (me) {
    firstReads(me, location.pathname, new URLSearchParams(location.search)).forEach((p) => read(p));
  }
});

const tag = document.querySelector("script[data-pointdesk-js]");
const bindings = await import(tag.dataset.pointdeskJs);
await bindings.default({ module_or_path: tag.dataset.pointdeskWasm });

// The service worker (pwa/sw.js), registered once the app runs, so it never slows the first
// screen. What it says reaches the app as attributes of <html> and a `pointdesk-sw` event
// (src/offline.rs); buttons with `data-sw` ask it something. The dev build has none.
const sw = navigator.serviceWorker;
if (sw) {
  const root = document.documentElement.dataset;
  const news = () => dispatchEvent(new Event('pointdesk-sw'));
  const ask = (message) => sw.controller && sw.controller.postMessage(message);
  let waiting = 0;
  let reloading = false;
  sw.addEventListener('message', ({ data }) => {
    if ('offline' in data) {
      if (data.offline) root.offline = data.offline;
      else delete root.offline;
    }
    if (data.outbox) {
      if (data.sent) root.sent = Number(root.sent || 0) + data.sent;
      root.outbox = JSON.stringify({ items: data.outbox });
      waiting = data.outbox.filter((i) => i.state === 'waiting').length;
    }
    news();
  });
  // Back online (and again a few seconds later: the first requests after the network returns
  // often still fail), at start and every 30 s while something waits: send the outbox.
  addEventListener('online', () => {
    ask({ flush: 1 });
    setTimeout(() => ask({ flush: 1 }), 3000);
  });
  setInterval(() => waiting && ask({ flush: 1 }), 30000);
  sw.addEventListener('controllerchange', () => reloading && location.reload());
  sw.register('/sw.js').then((registration) => {
    const ready = () => {
      if (registration.waiting && sw.controller) {
        root.update = '1';
        news();
      }
    };
    ready();
    registration.addEventListener('updatefound', () => {
      const next = registration.installing;
      if (next) next.addEventListener('statechange', ready);
    });
    // A phone keeps the app open for days: look for a new build when it comes back to it.
    document.addEventListener('visibilitychange', () => document.hidden || registration.update());
    document.addEventListener('click', (event) => {
      const button = event.target.closest && event.target.closest('[data-sw]');
      if (!button) return;
      const [what, n] = button.dataset.sw.split(':');
      if (what === 'reload') {
        reloading = true;
        if (registration.waiting) registration.waiting.postMessage({ reload: 1 });
      } else ask({ [what]: Number(n) });
    });
    ask({ flush: 1 });
  }, () => {});
}

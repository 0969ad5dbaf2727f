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

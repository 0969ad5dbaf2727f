// Starts the wasm app. trunk would start it from an inline <script>; this file does the same
// from 'self', so the Content-Security-Policy can refuse every inline script.
//
// Before that, it asks for the session and for what the first screen reads, so those answers
// travel while the wasm downloads and compiles instead of after it (the first useful screen:
// `cargo xtask bench`). The app takes each answer once, by the same URL (app/src/prefetch.rs);
// whatever it has not taken within 10 s is forgotten, so no screen ever shows an old answer.
const reads = new Map();
window.__pointdeskReads = reads;
setTimeout(() => reads.clear(), 10000);

function read(path) {
  const url = '/api/v1' + path;
  const answer = fetch(url, { headers: { accept: 'application/json' } })
    .then(async (r) => ({ status: r.status, text: await r.text() }))
    .catch(() => null);
  reads.set(url, answer);
  return answer;
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

read('/session').then((answer) => {
  const me = answer && answer.status === 200 ? JSON.parse(answer.text).me : null;
  if (me) {
    firstReads(me, location.pathname, new URLSearchParams(location.search)).forEach(read);
  }
});

const tag = document.querySelector("script[data-pointdesk-js]");
const bindings = await import(tag.dataset.pointdeskJs);
await bindings.default({ module_or_path: tag.dataset.pointdeskWasm });

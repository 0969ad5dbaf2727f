// Starts the wasm app. trunk would start it from an inline <script>; this file does the same
// from 'self', so the Content-Security-Policy can refuse every inline script.
const tag = document.querySelector("script[data-pointdesk-js]");
const bindings = await import(tag.dataset.pointdeskJs);
await bindings.default({ module_or_path: tag.dataset.pointdeskWasm });

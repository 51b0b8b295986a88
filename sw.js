// Bijeen's service worker: once the app has loaded, it reloads with no network at all,
// so a facilitator on bad wifi never loses the projector or the console.
//
// - The app has four HTML shells: the participant's phone (for /j/CODE and /w/ID/join), a
//   participant's window in the facilitator's browser (/w/ID/window), the phone remote's
//   (/w/ID/remote) and the facilitator's (every other route). Each is network-first (a new deploy wins as soon as it is reachable) and falls back to the last copy seen of the
//   shell its route gets. A shell is kept once a page of it has been open, so a phone never
//   downloads the facilitator's app in the background.
// - Trunk's content-hashed files (js, wasm, css) never change under their name, so they
//   are served cache-first; other files network-first. The shell names all of them, so
//   they are fetched into the cache as soon as a shell is seen, before the page asks.
// - The relay's API and WebSocket paths, other origins and non-GET requests are left to
//   the network: workshop data lives in the app's own storage and sync, never here.
const CACHE = 'bijeen-app-v1';
const FACILITATOR_SHELL = '/index.html';
const PARTICIPANT_SHELL = '/participant.html';
const REMOTE_SHELL = '/remote.html';
const WINDOW_SHELL = '/window.html';

/** The shell the relay serves for a route (static_files.rs: is_participant_route,
 * is_remote_route and is_window_route). */
function shellFor(pathname) {
  if (/^\/j\/[^/]+\/?$/.test(pathname) || /^\/w\/[^/]+\/join\/?$/.test(pathname)) return PARTICIPANT_SHELL;
  if (/^\/w\/[^/]+\/remote\/?$/.test(pathname)) return REMOTE_SHELL;
  if (/^\/w\/[^/]+\/window\/?$/.test(pathname)) return WINDOW_SHELL;
  return FACILITATOR_SHELL;
}

self.addEventListener('install', (event) => {
  event.waitUntil(refreshShells().catch(() => undefined).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/ws/') || url.pathname === '/healthz') return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
  } else if (isHashed(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});

// How long a page load waits for the network before it takes the cached shell: long enough
// for a slow but working connection, short enough that bad wifi does not look like a hang.
const NETWORK_PATIENCE_MS = 4000;

/** The page itself: the network's shell when it answers, the cached shell when it does not. */
async function navigate(request) {
  try {
    const response = await withPatience(fetch(request));
    if (response.ok && isHtml(response)) {
      const copy = response.clone();
      // Keep the shell and the assets it names; a failure here must not fail the page.
      storeShell(shellFor(new URL(request.url).pathname), copy).catch(() => undefined);
    }
    return response;
  } catch (offline) {
    const cache = await caches.open(CACHE);
    const shell = await cache.match(shellFor(new URL(request.url).pathname));
    if (shell) return shell;
    throw offline;
  }
}

/** `pending`, or a rejection once the network has taken longer than we wait for it. */
function withPatience(pending) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the network is too slow')), NETWORK_PATIENCE_MS);
    pending.then(
      (response) => { clearTimeout(timer); resolve(response); },
      (error) => { clearTimeout(timer); reject(error); },
    );
  });
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
    throw offline;
  }
}

/** The shells of the pages open now (the page that registered this worker among them). */
async function refreshShells() {
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const urls = new Map();
  for (const page of pages) {
    const url = new URL(page.url);
    if (url.origin === self.location.origin) urls.set(shellFor(url.pathname), url.pathname);
  }
  if (urls.size === 0) urls.set(FACILITATOR_SHELL, '/');
  for (const [shell, path] of urls) {
    const response = await fetch(path, { cache: 'no-cache' });
    if (response.ok && isHtml(response)) await storeShell(shell, response);
  }
}

// Shells are stored one at a time: each one's clean-up must see the other's assets.
let storing = Promise.resolve();

/**
 * Stores a shell and every file it names (hashed assets, the icon), and drops hashed assets
 * that no kept shell names, so the cache never grows past one build.
 */
function storeShell(shell, response) {
  const run = storing.then(() => storeShellNow(shell, response));
  storing = run.catch(() => undefined);
  return run;
}

async function storeShellNow(shell, response) {
  const html = await response.clone().text();
  const cache = await caches.open(CACHE);
  const named = namedPaths(html);
  await Promise.all([...named].map(async (path) => {
    if (isHashed(path) && await cache.match(path, { ignoreVary: true })) return;
    const asset = await fetch(path);
    if (asset.ok) await cache.put(path, asset);
  }));
  await cache.put(shell, new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
  for (const other of [FACILITATOR_SHELL, PARTICIPANT_SHELL, REMOTE_SHELL]) {
    if (other === shell) continue;
    const kept = await cache.match(other);
    if (kept) for (const path of namedPaths(await kept.text())) named.add(path);
  }
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (isHashed(path) && !named.has(path)) await cache.delete(request);
  }
}

/** Every quoted absolute path in a shell: link hrefs, and the module and wasm it imports. */
function namedPaths(html) {
  const named = new Set();
  for (const match of html.matchAll(/["'](\/[^"'\s]*)["']/g)) {
    const path = match[1].split(/[?#]/)[0];
    if (path !== '/' && !path.startsWith('//')) named.add(path);
  }
  return named;
}

function isHtml(response) {
  return (response.headers.get('content-type') ?? '').includes('text/html');
}

/** Trunk's content hash: 12 to 16 lowercase hex digits in one segment of the file name. */
function isHashed(path) {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.split(/[-_.]/).some((segment) => /^[0-9a-f]{12,16}$/.test(segment));
}

// MRSE CRM service worker, version {{ version }}. It keeps only the app shell (style,
// scripts, icons and the offline page): no page of a signed-in user is stored, so
// nothing private stays on a shared phone.
const CACHE = "mrse-shell-{{ version }}";
const SHELL = {{ shell_urls|tojson }};
const OFFLINE = {{ offline|tojson }};

self.addEventListener("install", (event) => {
  // From the server, not the browser's HTTP cache, so a new version stores new files.
  const fresh = SHELL.map((url) => new Request(url, {cache: "reload"}));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(fresh))
    .then(() => self.skipWaiting()));
});

// Drop the caches of older versions.
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE)
      .map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages always come from the network; without signal, the offline page.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname, {cacheName: CACHE})
      .then((kept) => kept || fetch(request)));
  }
});

// A page may ask to forget everything (sign-out also sends Clear-Site-Data).
self.addEventListener("message", (event) => {
  if (event.data === "clear") {
    event.waitUntil(caches.keys().then((keys) => Promise.all(keys.map((key) => caches.delete(key)))));
  }
});

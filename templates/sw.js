// Signpost's offline worker: after a first visit, the crisis numbers open with no network.
// Rendered at build time; its URL is stable (never fingerprinted) so the browser can update it.
"use strict";
const STATIC = "signpost-static-{{ version }}";
const PAGES = "signpost-pages";
const ASSETS = {{ '/assets/'|url|tojson }};
const HOME = {{ '/'|url|tojson }};
const PRECACHE = [
{% for path in pages + assets %}
  {{ path|url|tojson }}{% if not loop.last %},{% endif %}

{% endfor %}
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

// Drop precaches of older builds; visited pages stay in PAGES so they keep opening offline.
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key.startsWith("signpost-static-") && key !== STATIC)
      .map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(ASSETS)) event.respondWith(cacheFirst(request));
  else if (request.mode === "navigate") event.respondWith(networkFirst(request));
});

// Fingerprinted assets never change under the same name, so a cached copy is always right.
async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(STATIC)).put(request, response.clone());
  return response;
}

// Pages: the freshest copy when online; the last one seen (or the home page's numbers) when not.
async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok) (await caches.open(PAGES)).put(request, response.clone());
    return response;
  } catch (error) {
    return (await caches.match(request, {ignoreSearch: true})) || (await caches.match(HOME)) || Response.error();
  }
}

// Signpost's offline worker: after a first visit, the crisis numbers open with no network.
// Rendered at build time; its URL is stable (never fingerprinted) so the browser can update it.
"use strict";
const STATIC = "signpost-static-dc87aa7100";
const PAGES = "signpost-pages";
const ASSETS = "/tiny/assets/";
const SCOPE = "/tiny/";
const OFFLINE = "/tiny/offline.html";
// The crisis essentials only: the offline page and the CSS and JS it uses.
const PRECACHE = [
  "/tiny/offline.html",
  "/tiny/assets/style.e9417b77aa.css",
  "/tiny/assets/site.1bea31c4c4.js"
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

// Drop precaches of older builds (visited pages stay in PAGES, so they keep opening offline),
// and save the pages already open: the first page a visitor lands on loaded before this worker
// existed, so it never passed through the fetch handler below.
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key.startsWith("signpost-static-") && key !== STATIC)
      .map((key) => caches.delete(key))))
    .then(() => self.clients.claim())
    .then(saveOpenPages));
});

async function saveOpenPages() {
  const windows = await self.clients.matchAll({type: "window", includeUncontrolled: true});
  const cache = await caches.open(PAGES);
  await Promise.all(windows.map((client) => new URL(client.url)).filter(isPage)
    .map((url) => cache.match(url.pathname).then((hit) => hit || cache.add(url.pathname)).catch(() => null)));
}

function isPage(url) {
  return url.origin === self.location.origin && url.pathname.startsWith(SCOPE) && !url.pathname.startsWith(ASSETS);
}

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

// Pages: the freshest copy when online. Offline: the copy saved on a visit, else the offline
// page (which says so, with the visitor's emergency numbers) at the address asked for.
async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok) (await caches.open(PAGES)).put(request, response.clone());
    return response;
  } catch (error) {
    const saved = await caches.match(request, {ignoreSearch: true});
    if (saved) return saved;
    const offline = await caches.match(OFFLINE);
    if (!offline) return Response.error();
    return new Response(offline.body, {status: 200, headers: {"Content-Type": "text/html; charset=utf-8"}});
  }
}

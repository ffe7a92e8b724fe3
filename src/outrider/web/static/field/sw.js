// The field app's service worker (served at /sw.js, scope /): the app shell from the cache, the field
// pages from the network with the last copy as the fallback when there is none, and the outbox replayed
// by Background Sync where the browser has it. Signing out empties the cached pages.
importScripts("/static/field/queue.js");

const VERSION = "outrider-field-v2";  // a new version when the shell changes: installed phones fetch it again
const SHELL = VERSION + "-shell";
const PAGES = VERSION + "-pages";
const SHELL_FILES = [
  "/static/css/app.css",
  "/static/css/map.css",
  "/static/favicon.svg",
  "/static/js/nav_toggle.js",
  "/static/js/table_cards.js",
  "/static/vendor/htmx/htmx.min.js",
  "/static/field/queue.js",
  "/static/field/app.js",
  "/static/field/icon-192.png",
  "/static/field/icon-512.png",
  "/static/vendor/leaflet/leaflet.js",
  "/static/vendor/leaflet/leaflet.css",
  "/static/vendor/topojson/topojson-client.min.js",
  "/static/js/map.js",
  "/static/vendor/boundaries/index.json",
  "/static/vendor/boundaries/countries-50m.json",
  "/static/vendor/boundaries/admin1/pak.topo.json",
  "/static/vendor/boundaries/admin1/afg.topo.json",
  "/static/vendor/boundaries/admin1/irn.topo.json",
  "/static/vendor/boundaries/admin1/ind.topo.json",
  "/static/vendor/boundaries/admin1/chn.topo.json",
  "/static/vendor/places/towns.json",
];

async function cachePage(url) {
  const response = await fetch(url, { credentials: "same-origin", redirect: "follow" });
  // a page that sent the browser to sign in is not the page: keep nothing
  if (response.ok && !response.redirected) await (await caches.open(PAGES)).put(url, response);
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL)
      .then(function (cache) { return cache.addAll(SHELL_FILES); })
      .then(function () { return cachePage("/field").catch(function () {}); })
      .then(function () { return self.skipWaiting(); }),
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (k) { return !k.startsWith(VERSION); }).map(function (k) { return caches.delete(k); }));
      })
      .then(function () { return self.clients.claim(); }),
  );
});

function isFieldPage(url) {
  return url.pathname === "/field" || url.pathname.startsWith("/field/movements/");
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      const copy = response.clone();
      caches.open(PAGES).then(function (cache) { return cache.put(request.url.split("#")[0], copy); });
    }
    return response;
  } catch (e) {
    const cached = (await caches.match(request.url.split("#")[0], { ignoreSearch: true })) || (await caches.match("/field"));
    if (cached) return cached;
    throw e;
  }
}

async function shellFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: true });
  const fresh = fetch(request).then(function (response) {
    if (response.ok) {
      const copy = response.clone();
      caches.open(SHELL).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  });
  if (cached) {
    fresh.catch(function () {});
    return cached;
  }
  return fresh;
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/logout") {
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== "GET") return;
  if (isFieldPage(url)) event.respondWith(networkFirst(request));
  else if (url.pathname.startsWith("/static/")) event.respondWith(shellFirst(request));
});

// A page asks for its movements to be kept for offline use.
self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    event.waitUntil(Promise.all(data.urls.filter(function (u) { return typeof u === "string" && u.startsWith("/field"); }).map(cachePage)));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === OutriderQueue.TAG) event.waitUntil(OutriderQueue.flush(null));
});

/* checklist service worker: the app shell (hashed assets, the offline page) is kept at install;
   pages are fetched from the network first and kept, so an audit opened once opens again with no
   connection (a reload included); photos and signatures (named by their hash) are kept as they
   are fetched. The API is never cached: answers given offline wait in the page's IndexedDB queue.
   VERSION and SHELL are written above this line by the server. */
"use strict";
var SHELL_CACHE = "shell-" + VERSION, PAGES = "pages", FILES = "files";

self.addEventListener("install", function (ev) {
  ev.waitUntil(caches.open(SHELL_CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (ev) {
  ev.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("shell-") === 0 && k !== SHELL_CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function kept(cacheName, request, response) {
  if (response && response.ok && response.type === "basic" && !response.redirected) {
    var copy = response.clone();
    caches.open(cacheName).then(function (c) { c.put(request, copy); });
  }
  return response;
}

function networkFirst(request) {
  return fetch(request).then(function (r) { return kept(PAGES, request, r); }).catch(function () {
    return caches.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || caches.match(SHELL[SHELL.length - 1]);
    });
  });
}

function cacheFirst(cacheName, request) {
  return caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (r) { return kept(cacheName, request, r); });
  });
}

self.addEventListener("fetch", function (ev) {
  var req = ev.request, url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (req.method === "POST" && url.pathname === "/logout") {  // another person may log in next: forget their pages
    ev.waitUntil(caches.delete(PAGES).then(function () { return caches.delete(FILES); }));
    return;
  }
  if (req.method !== "GET" || url.pathname.indexOf("/api/") === 0) { return; }
  if (url.pathname.indexOf("/static/") === 0) { ev.respondWith(cacheFirst(SHELL_CACHE, req)); return; }
  if (/\/(evidence|photos)\//.test(url.pathname)) { ev.respondWith(cacheFirst(FILES, req)); return; }
  if (req.mode === "navigate" || /^\/(audits|hazards)(\/|$)/.test(url.pathname)) {
    if (/\.(pdf|xlsx)$/.test(url.pathname)) { return; }
    ev.respondWith(networkFirst(req));
  }
});

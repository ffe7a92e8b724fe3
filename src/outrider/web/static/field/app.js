// The field pages: the outbox's status (what waits, when the server last confirmed), countdowns to the next
// check-in, and on a movement's page the map with your position and the three actions (Check in, Delayed,
// SOS by press and hold). Every action goes through the outbox (queue.js), online or not.
(function () {
  "use strict";
  const Q = window.OutriderQueue;
  const T = JSON.parse(document.getElementById("field-texts").textContent);
  const bar = document.getElementById("field-status");
  const HOLD_MS = 2000;

  function fill(message, values) {
    return message.replace(/%\((\w+)\)s/g, function (_, name) { return values[name] == null ? "" : String(values[name]); });
  }
  function pageSession() { return { csrf: bar.dataset.csrf, user: Number(bar.dataset.user) }; }
  function hhmm(date) {
    return String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0");
  }

  // A refused action's reason in the page's language: by the refusal's code (a PIN lock says until when, on
  // this phone's clock); an action refused before codes existed keeps the server's words.
  function refusal(a) {
    const R = T.refusals || {};
    if (!a.code) return fill(T.refused, { reason: a.reason });
    const until = a.until ? hhmm(new Date(a.until)) : "";
    return fill(T.refused, { reason: fill(R[a.code] || R.other, { time: until, status: a.status || "" }) });
  }

  async function showState() {
    const s = await Q.state();
    const waiting = document.getElementById("queue-waiting");
    waiting.dataset.count = String(s.waiting);
    waiting.textContent = fill(T.waiting, { n: s.waiting });
    document.getElementById("queue-confirmed").textContent = s.lastConfirmed
      ? fill(T.confirmed, { time: hhmm(new Date(s.lastConfirmed)) }) : T.never;
    const list = document.getElementById("queue-refused");
    list.replaceChildren();
    for (const a of s.refused) {
      const item = document.createElement("li");
      item.className = "flash error";
      item.textContent = refusal(a);
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.textContent = "×";
      dismiss.setAttribute("aria-label", "OK");
      dismiss.addEventListener("click", function () { Q.dismiss(a.key); });
      item.appendChild(dismiss);
      list.appendChild(item);
    }
    const net = document.getElementById("net-state");
    net.hidden = navigator.onLine;
    net.title = T.offline;
  }

  async function flush() {
    const stopped = await Q.flush(pageSession());
    document.getElementById("queue-signin").hidden = stopped !== "sign-in";
    await showState();
    return stopped;
  }

  // Ask for Background Sync (where the browser has it): the worker sends what waits once the network is back.
  async function askSync() {
    if (!("serviceWorker" in navigator)) return;
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register(Q.TAG);
    } catch (e) { /* not offered: replays on reconnect and on opening the app */ }
  }

  function countdowns() {
    const now = Date.now();
    for (const el of document.querySelectorAll("[data-due]")) {
      const left = Math.round((Date.parse(el.dataset.due) - now) / 1000);
      const abs = Math.abs(left);
      const h = Math.floor(abs / 3600), m = Math.floor((abs % 3600) / 60), sec = abs % 60;
      const time = (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(sec).padStart(2, "0");
      el.textContent = fill(left >= 0 ? T.due_in : T.overdue_by, { time: time });
      el.classList.toggle("late", left < 0);
    }
  }

  // --- a movement's page ---------------------------------------------------------------------------------
  const actions = document.querySelector(".field-actions");
  let here = null;
  let positionMarker = null;
  let fieldMap = null;

  function drawMap() {
    const M = window.OutriderMap;
    if (!M || !document.getElementById("map")) return;
    const cfg = M.config();
    const f = cfg.field;
    fieldMap = M.create("map", cfg);
    const group = L.featureGroup().addTo(fieldMap);
    if (f.route && f.route.length) {
      group.addLayer(L.polyline(f.route.map(function (p) { return [p[1], p[0]]; }), { color: "#1f5fa8", weight: 5 }));
    }
    for (const [place, fillColor] of [[f.origin, "#ffffff"], [f.destination, "#14202c"]]) {
      group.addLayer(L.circleMarker([place.lat, place.lon], { radius: 7, color: "#14202c", weight: 3, fillColor: fillColor, fillOpacity: 1 })
        .bindTooltip(place.name, { direction: "top" }));
    }
    if (f.last_checkin && f.last_checkin.lat != null) {
      group.addLayer(L.circleMarker([f.last_checkin.lat, f.last_checkin.lon], { radius: 6, color: "#000", weight: 1, fillColor: "#ffeb3b", fillOpacity: 1 }));
    }
    fieldMap.fitBounds(group.getBounds().pad(0.2), { maxZoom: 12 });
    document.body.dataset.mapReady = "true";
  }

  function showPosition(position) {
    here = { lat: position.coords.latitude, lon: position.coords.longitude, accuracy: position.coords.accuracy };
    document.getElementById("position").textContent = fill(T.position, {
      lat: here.lat.toFixed(5), lon: here.lon.toFixed(5), m: Math.round(here.accuracy || 0),
    });
    if (fieldMap) {
      if (!positionMarker) {
        positionMarker = L.circleMarker([here.lat, here.lon], { radius: 8, color: "#fff", weight: 3, fillColor: "#1f5fa8", fillOpacity: 1, className: "my-position" }).addTo(fieldMap);
      } else positionMarker.setLatLng([here.lat, here.lon]);
    }
  }

  function noPosition() {
    document.getElementById("position").textContent = T.no_position;
    document.getElementById("manual-position").open = true;
  }

  function position() {
    const lat = document.getElementById("lat").value, lon = document.getElementById("lon").value;
    if (lat !== "" && lon !== "") return { lat: Number(lat), lon: Number(lon) };
    return here ? { lat: here.lat, lon: here.lon } : {};
  }

  function say(message, bad) {
    const el = document.getElementById("action-result");
    el.textContent = message;
    el.className = "flash " + (bad ? "error" : "ok");
    el.hidden = false;
  }

  // Keep the action, send what waits, and say whether this one went (or why it was refused).
  async function act(kind, fields, sent, queued) {
    const action = await Q.enqueue(kind, Number(actions.dataset.movement), fields, pageSession());
    await askSync();
    await flush();
    const left = await Q.has(action.key);
    if (!left) say(sent, false);
    else if (left.state === "refused") say(refusal(left), true);
    else say(queued, false);
    return action;
  }

  function restartCountdown() {
    const el = document.getElementById("countdown");
    const minutes = window.OutriderMap ? window.OutriderMap.config().field.checkin_interval_minutes : null;
    if (el && minutes) el.dataset.due = new Date(Date.now() + minutes * 60000).toISOString();
  }

  function holdToSend(button, send) {
    let started = 0, frame = 0;
    function stop() {
      started = 0;
      cancelAnimationFrame(frame);
      button.classList.remove("holding");
      button.style.setProperty("--hold", "0deg");
    }
    function tick() {
      if (!started) return;
      const done = (performance.now() - started) / HOLD_MS;
      button.style.setProperty("--hold", Math.min(360, done * 360) + "deg");
      if (done >= 1) { stop(); send(); } else frame = requestAnimationFrame(tick);
    }
    function start(event) {
      if (started) return;
      if (event.cancelable) event.preventDefault();
      started = performance.now();
      button.classList.add("holding");
      frame = requestAnimationFrame(tick);
    }
    button.addEventListener("pointerdown", start);
    for (const name of ["pointerup", "pointerleave", "pointercancel"]) button.addEventListener(name, stop);
    button.addEventListener("keydown", function (e) { if ((e.key === " " || e.key === "Enter") && !e.repeat) start(e); });
    button.addEventListener("keyup", function (e) { if (e.key === " " || e.key === "Enter") stop(); });
    button.addEventListener("contextmenu", function (e) { e.preventDefault(); });
    button.addEventListener("click", function (e) { e.preventDefault(); });  // a tap does nothing
  }

  function movementPage() {
    if (!actions) return;
    drawMap();
    if (navigator.geolocation) {
      navigator.geolocation.watchPosition(showPosition, noPosition, { enableHighAccuracy: true, maximumAge: 30000, timeout: 15000 });
    } else noPosition();
    document.getElementById("checkin-form").addEventListener("submit", async function (e) {
      e.preventDefault();
      const pin = document.getElementById("pin");
      const fields = Object.assign({ status: "ok" }, position(), pin ? { pin: pin.value } : {});
      if (pin) pin.value = "";
      await act("checkin", fields, T.checkin_sent, T.checkin_queued);
      restartCountdown();
    });
    document.getElementById("delayed-form").addEventListener("submit", async function (e) {
      e.preventDefault();
      const reason = document.getElementById("reason");
      if (!reason.value.trim()) { say(T.reason_needed, true); return; }
      await act("checkin", Object.assign({ status: "delayed", note: reason.value.trim() }, position()), T.delayed_sent, T.delayed_queued);
      reason.value = "";
      restartCountdown();
    });
    holdToSend(document.getElementById("sos-button"), function () {
      act("sos", position(), T.sos_sent, T.sos_queued);
    });
  }

  // --- every field page ------------------------------------------------------------------------------------
  async function keepForOffline() {
    if (!("serviceWorker" in navigator)) return;
    const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    await navigator.serviceWorker.ready;
    const urls = [location.pathname].concat(
      Array.from(document.querySelectorAll("a[href^='/field/movements/']"), function (a) { return a.getAttribute("href"); }),
    );
    const worker = registration.active || navigator.serviceWorker.controller;
    if (worker) worker.postMessage({ type: "keep", urls: urls });
    document.body.dataset.offlineReady = "true";
  }

  window.addEventListener("outrider-queue", showState);
  window.addEventListener("online", flush);
  window.addEventListener("offline", showState);
  countdowns();
  setInterval(countdowns, 1000);
  setInterval(function () { if (navigator.onLine) flush(); }, 30000);
  movementPage();
  flush();
  keepForOffline().catch(function () {});
})();

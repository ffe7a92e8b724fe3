// The header's bell: the count of open alerts nobody has taken (hidden when none), polled lightly and again
// after every act on a page or alert of the live stream; a critical alert raised while the page is open
// beeps (WebAudio, no file, no network), flashes the title and, when the user allowed it, shows a
// notification of the browser. Nothing is asked of the user unprompted: the button asks.
(function () {
  "use strict";
  const bell = document.getElementById("alert-bell");
  if (!bell || !window.fetch) return;
  const count = document.getElementById("alert-bell-count");
  const allow = document.getElementById("alert-notify-allow");
  const KEY = "outrider.bell.after"; // the newest alert this tab has heard of (kept across its pages)
  const EVERY_MS = 15000;
  const original = document.title;
  let timer = null;
  let flashing = null;

  function show(n) {
    count.textContent = String(n);
    bell.hidden = n === 0;
    bell.dataset.count = String(n);
  }

  function beep() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      const ctx = new Context();
      const tone = ctx.createOscillator();
      const gain = ctx.createGain();
      tone.type = "square";
      tone.frequency.value = 880;
      gain.gain.value = 0.06;
      tone.connect(gain);
      gain.connect(ctx.destination);
      tone.start();
      tone.stop(ctx.currentTime + 0.3);
      tone.onended = function () { ctx.close(); };
    } catch (e) { /* a browser that refuses sound without a gesture still flashes */ }
  }

  function stopFlash() {
    if (flashing) clearInterval(flashing);
    flashing = null;
    document.title = original;
  }

  function flash(text) {
    stopFlash();
    let on = false;
    let left = 30;
    flashing = setInterval(function () {
      on = !on;
      document.title = on ? "\u26a0 " + text : original;
      left -= 1;
      if (left <= 0 || (document.hasFocus() && left < 24)) stopFlash();
    }, 1000);
  }

  function notify(alert) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    const shown = new Notification(bell.dataset.notifyTitle, { body: alert.title, tag: "outrider-alert-" + alert.id });
    shown.onclick = function () { window.focus(); window.location.assign("/alerts/" + alert.id); };
  }

  function heard(data) {
    show(data.count);
    // two polls in flight at once (a stream event, an act) announce an alert once: the first one answered
    const known = Number(sessionStorage.getItem(KEY) || 0);
    const fresh = data.critical.filter(function (a) { return a.id > known; });
    sessionStorage.setItem(KEY, String(Math.max(known, data.after)));
    if (!fresh.length) return;
    const last = fresh[fresh.length - 1];
    bell.classList.add("ringing");
    bell.dataset.critical = String(last.id);
    beep();
    flash(last.title);
    fresh.forEach(notify);
  }

  function poll() {
    const after = sessionStorage.getItem(KEY);
    const url = bell.dataset.poll + (after ? "?after=" + encodeURIComponent(after) : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) heard(data); })
      .catch(function () { /* offline: the next poll tries again */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { poll(); schedule(); }, EVERY_MS);
  }

  if (allow && "Notification" in window && Notification.permission === "default") {
    allow.hidden = false;
    allow.addEventListener("click", function () {
      Notification.requestPermission().then(function () { allow.hidden = true; });
    });
  }
  document.body.addEventListener("htmx:afterRequest", poll);
  document.addEventListener("outrider:alert", poll);
  window.addEventListener("focus", stopFlash);
  poll();
  schedule();
})();

// The field app's outbox: check-ins and SOS kept on the phone (IndexedDB) until the server confirms them.
// Each action gets, when it is made, a random UUID (the idempotency key: a replay counts once), the device's
// time, and the next number of this device's persistent counter (the server takes a device's actions in
// strictly increasing order), and the CSRF token of the page it was made on. Replays go in device order:
// on page open, when the network returns, and from the service worker (Background Sync). An action leaves
// the outbox only when the server confirms it; one the server refuses stays, marked with the reason and the
// refusal's code (the page words it in the user's language).
// Loaded by the pages and by the service worker (self is the window or the worker).
(function (root) {
  "use strict";
  const DB_NAME = "outrider-field";
  const ACTIONS = "actions";
  const META = "meta";
  const LOCK = "outrider-field-queue";
  let opened = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function open() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        const req = root.indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = function () {
          req.result.createObjectStore(ACTIONS, { keyPath: "key" });
          req.result.createObjectStore(META);
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return opened;
  }

  // Run fn(stores) in one transaction; resolves with fn's result once the transaction has committed.
  async function inTransaction(names, mode, fn) {
    const db = await open();
    return new Promise(function (resolve, reject) {
      const tx = db.transaction(names, mode);
      const stores = {};
      for (const name of names) stores[name] = tx.objectStore(name);
      let result;
      Promise.resolve(fn(stores)).then(function (value) { result = value; }, reject);
      tx.oncomplete = function () { resolve(result); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  }

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    const b = root.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function changed() {
    if (root.dispatchEvent && typeof root.CustomEvent === "function") {
      root.dispatchEvent(new root.CustomEvent("outrider-queue"));
    }
  }

  // Keep an action: kind "checkin" or "sos", the movement, the fields to post, the page's CSRF token and
  // the signed-in user (`page` = {csrf, user}). The device id and its counter are read and advanced in the
  // same transaction as the action is added.
  async function enqueue(kind, movementId, fields, page) {
    const action = await inTransaction([ACTIONS, META], "readwrite", async function (s) {
      let device = await request(s[META].get("device_id"));
      if (!device) {
        device = uuid();
        s[META].put(device, "device_id");
      }
      const seq = ((await request(s[META].get("seq"))) || 0) + 1;
      s[META].put(seq, "seq");
      const key = uuid();
      const body = Object.assign({}, fields, {
        idempotency_key: key, at: new Date().toISOString(), device_id: device, device_seq: seq,
      });
      const item = {
        key: key, kind: kind, movementId: movementId, body: body, csrf: page.csrf, user: page.user, seq: seq, state: "waiting",
      };
      s[ACTIONS].add(item);
      return item;
    });
    changed();
    return action;
  }

  async function all() {
    const items = await inTransaction([ACTIONS], "readonly", function (s) { return request(s[ACTIONS].getAll()); });
    return items.sort(function (a, b) { return a.seq - b.seq; });
  }

  async function has(key) {
    const found = await inTransaction([ACTIONS], "readonly", function (s) { return request(s[ACTIONS].get(key)); });
    return found || null;
  }

  async function confirmed(action) {
    await inTransaction([ACTIONS, META], "readwrite", function (s) {
      s[ACTIONS].delete(action.key);
      s[META].put(new Date().toISOString(), "last_confirmed");
    });
  }

  async function save(action) {
    await inTransaction([ACTIONS], "readwrite", function (s) { s[ACTIONS].put(action); });
  }

  async function post(action, token) {
    const path = "/field/movements/" + action.movementId + (action.kind === "sos" ? "/sos" : "/checkins");
    return root.fetch(path, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": token },
      body: JSON.stringify(action.body),
    });
  }

  // Send one action; answers "sent", "refused", or why to stop: "offline", "sign-in", "later". `page` is the
  // current page's {csrf, user} (null in the service worker).
  async function send(action, page) {
    let response;
    try {
      response = await post(action, action.csrf);
    } catch (e) {
      return "offline";
    }
    if (response.type === "opaqueredirect" || response.status === 401) return "sign-in";
    const problem = response.ok ? {} : await response.json().catch(function () { return {}; });
    if (response.status === 403 && /:csrf$/.test(problem.type || "")) {
      // made before the same user signed in again: the page's current token replaces the stored one, once;
      // another user's session never sends it (it waits for its own user)
      if (!page || page.user !== action.user || page.csrf === action.csrf) return "sign-in";
      action.csrf = page.csrf;
      await save(action);
      return send(action, null);
    }
    if (response.ok || (response.status === 409 && /duplicate/i.test(problem.detail || ""))) {
      await confirmed(action);
      return "sent";
    }
    // a throttle's 429 waits and is sent again; a PIN lock refuses this action alone (the rest, an SOS among
    // them, still goes; the PIN must be given again once the lock ends)
    if (response.status >= 500 || response.status === 0) return "later";
    if (response.status === 429 && problem.code !== "pin_locked") return "later";
    action.state = "refused";
    action.reason = problem.detail || String(response.status);
    // the refusal's stable name (else its problem type): the page says it in the user's language
    action.code = problem.code || String(problem.type || "").replace(/^urn:outrider:problem:/, "");
    action.status = response.status;
    const wait = Number(response.headers.get("Retry-After"));
    if (wait > 0) action.until = Date.now() + wait * 1000;
    await save(action);
    return "refused";
  }

  // Send what waits, in device order; answers what stopped the replay ("" when everything went).
  async function replay(page) {
    for (const action of await all()) {
      // another user's actions wait for that user's session (the page's user sends only their own)
      if (action.state !== "waiting" || (page && action.user !== page.user)) continue;
      const outcome = await send(action, page);
      changed();
      if (outcome !== "sent" && outcome !== "refused") return outcome;
    }
    return "";
  }

  function flush(page) {
    const locks = root.navigator && root.navigator.locks;
    if (locks) return locks.request(LOCK, function () { return replay(page); });
    return replay(page);
  }

  async function state() {
    const items = await all();
    const last = await inTransaction([META], "readonly", function (s) { return request(s[META].get("last_confirmed")); });
    return {
      waiting: items.filter(function (a) { return a.state === "waiting"; }).length,
      refused: items.filter(function (a) { return a.state === "refused"; }),
      lastConfirmed: last || null,
    };
  }

  async function dismiss(key) {
    await inTransaction([ACTIONS], "readwrite", function (s) { s[ACTIONS].delete(key); });
    changed();
  }

  root.OutriderQueue = { enqueue: enqueue, flush: flush, state: state, has: has, dismiss: dismiss, TAG: LOCK };
})(self);

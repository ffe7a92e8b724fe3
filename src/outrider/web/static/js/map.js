// Outrider maps: an offline base of country and province boundaries and the region's towns (or a
// configured tile server), and the layers every page draws (sites with cordons, incidents, movements,
// the risk surface). Panes keep the order: boundaries, towns, their labels, then every overlay above.
(function () {
  "use strict";

  const SITE_LABEL_ZOOM = 9;   // from here on site names stay on the map (a duty officer works at 11-14)
  const TOWN_LABELS_MAX = 160; // labels drawn at once, the most important first
  const PANES = { base: 200, places: 300, placeLabels: 350 };

  const SEVERITY = { critical: "#b3001b", high: "#e25b00", medium: "#d9a400", low: "#5b7f2a" };
  const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 };
  const AGE_OPACITY = { recent: 0.95, year: 0.75, older: 0.45, undated: 0.55 };
  const RISK = { 1: "#2e7d32", 2: "#9e9d24", 3: "#ef6c00", 4: "#c62828", 5: "#6a1b9a" };
  const UNSCORED = "#607d8b";

  function config(id) {
    const el = document.getElementById(id || "map-config");
    return el ? JSON.parse(el.textContent) : { labels: {}, levels: {} };
  }

  // A domain word in the page's language (the vocabularies map_config sends); as stored when unknown.
  function term(cfg, vocabulary, value) {
    const words = (cfg.terms || {})[vocabulary] || {};
    return words[value] || value;
  }

  function status(message) {
    const el = document.getElementById("map-status");
    if (el) el.textContent = message;
  }

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(url + ": " + response.status);
    return response.json();
  }

  function text(tag, content, className) {
    const el = document.createElement(tag);
    el.textContent = content == null ? "" : String(content);
    if (className) el.className = className;
    return el;
  }

  function link(href, content) {
    const a = text("a", content);
    a.href = href;
    return a;
  }

  // A popup built with DOM nodes (never HTML strings): names come from users and reports.
  function popup(title, href, lines) {
    const box = document.createElement("div");
    box.className = "popup";
    const head = document.createElement("strong");
    head.appendChild(href ? link(href, title) : text("span", title));
    box.appendChild(head);
    for (const line of lines) if (line) box.appendChild(text("div", line));
    return box;
  }

  function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  // The box a label of `name` takes on screen beside `point`, for a tooltip direction.
  function labelBox(point, name, direction, gap) {
    const w = 8 + name.length * 6.8;
    const h = 17;
    if (direction === "left") return [point.x - gap - w, point.y - h / 2, point.x - gap, point.y + h / 2];
    if (direction === "top") return [point.x - w / 2, point.y - gap - h, point.x + w / 2, point.y - gap];
    if (direction === "bottom") return [point.x - w / 2, point.y + gap, point.x + w / 2, point.y + gap + h];
    return [point.x + gap, point.y - h / 2, point.x + gap + w, point.y + h / 2];
  }

  // Towns from the packaged GeoNames extract (places/towns.json, built by `make web-assets`): the ones
  // in view whose label zoom is reached, capitals and large towns first, no label over another.
  function townsLayer(map) {
    const group = L.layerGroup();
    let towns = [];
    function draw() {
      group.clearLayers();
      if (!map.hasLayer(group)) return;
      const zoom = map.getZoom();
      const view = map.getBounds().pad(0.05);
      const taken = [];
      for (const t of towns) {
        if (t.zoom > zoom || taken.length >= TOWN_LABELS_MAX) break; // sorted by label zoom
        if (!view.contains([t.lat, t.lon])) continue;
        const box = labelBox(map.latLngToContainerPoint([t.lat, t.lon]), t.name, "right", 4);
        if (taken.some(function (b) { return overlaps(b, box); })) continue;
        taken.push(box);
        const dot = L.circleMarker([t.lat, t.lon], {
          pane: "places", interactive: false, radius: t.capital ? 4 : 2.5,
          color: "#5a5147", weight: t.capital ? 2 : 1, fillColor: t.capital ? "#fff" : "#5a5147", fillOpacity: 1,
        });
        dot.bindTooltip(text("span", t.name), {
          permanent: true, direction: "right", offset: [3, 0], pane: "placeLabels",
          className: "town-label" + (t.capital ? " capital" : ""),
        });
        group.addLayer(dot);
      }
    }
    group.load = function (doc) {
      const at = {};
      doc.fields.forEach(function (f, i) { at[f] = i; });
      towns = doc.towns.map(function (r) {
        return { name: r[at.name], lat: r[at.lat], lon: r[at.lon], zoom: r[at.zoom], capital: !!r[at.capital] };
      });
      draw();
    };
    group.on("add", function () { setTimeout(draw, 0); });
    map.on("moveend", draw);
    return group;
  }

  async function boundaries(map, cfg) {
    const base = "/static/vendor/boundaries/";
    const manifest = await getJSON(base + "index.json");
    const world = await getJSON(base + manifest.countries);
    L.geoJSON(topojson.feature(world, world.objects.countries), {
      pane: "base",
      interactive: false,
      style: { color: "#8a96a3", weight: 1, fillColor: "#f3f0e8", fillOpacity: 1 },
    }).addTo(map);
    const subdivisions = await Promise.all(manifest.admin1.map(function (file) { return getJSON(base + file); }));
    for (const topo of subdivisions) {
      const key = Object.keys(topo.objects)[0];
      L.geoJSON(topojson.feature(topo, topo.objects[key]), {
        pane: "base",
        style: { color: "#9aa3ad", weight: 0.8, dashArray: "4 3", fill: true, fillOpacity: 0 },
        onEachFeature: function (feature, layer) {
          const name = feature.properties && feature.properties.name;
          if (name) layer.bindTooltip(name, { sticky: true, direction: "top", className: "province" });
        },
      }).addTo(map);
    }
    map.attributionControl.addAttribution(cfg.labels.boundaries || "Natural Earth");
  }

  async function loadTowns(map, cfg, towns) {
    towns.load(await getJSON("/static/vendor/places/towns.json"));
    map.attributionControl.addAttribution(cfg.labels.towns_source || "GeoNames (CC BY 4.0)");
  }

  // A view written in the address (#map=zoom/lat/lon), kept as the map moves: a view can be bookmarked
  // or linked to, and a change of the address's view moves the map.
  function hashView() {
    const m = /^#map=(\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(window.location.hash);
    if (!m) return null;
    const zoom = Number(m[1]), lat = Number(m[2]), lon = Number(m[3]);
    if (zoom < 2 || zoom > 18 || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    return { center: [lat, lon], zoom: zoom };
  }

  function keepHash(map) {
    window.addEventListener("hashchange", function () {  // a link or bookmark to another view
      const view = hashView();
      if (view) map.setView(view.center, view.zoom);
    });
    map.on("moveend", function () {
      const c = map.getCenter();
      const hash = "#map=" + map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4);
      window.history.replaceState(null, "", window.location.pathname + window.location.search + hash);
    });
  }

  // options: { hash: true } reads and keeps the view in the address (map.fromHash says if it was there);
  // { layers: "expanded" } shows the layer control open. map.layers is the control, with the towns in it.
  function create(elementId, cfg, view, options) {
    const opts = options || {};
    const map = L.map(elementId, { keyboard: true, worldCopyJump: true, zoomSnap: 0.5, minZoom: 2, maxZoom: 18 });
    for (const name of Object.keys(PANES)) {
      map.createPane(name);
      map.getPane(name).style.zIndex = PANES[name];
    }
    map.getPane("places").style.pointerEvents = "none";
    map.getPane("placeLabels").style.pointerEvents = "none";
    const fromHash = opts.hash ? hashView() : null;
    const start = fromHash || view;
    map.fromHash = !!fromHash;
    map.setView(start && start.center ? start.center : [30.4, 69.3], start && start.zoom ? start.zoom : 5);
    if (opts.hash) keepHash(map);
    map.attributionControl.setPrefix(false);
    map.layers = L.control.layers(null, {}, { collapsed: opts.layers !== "expanded" });
    if (cfg.tileUrl) {  // the tiles carry their own places
      L.tileLayer(cfg.tileUrl, { maxZoom: 18, attribution: cfg.tileAttribution || "" }).addTo(map);
      if (opts.layers === "expanded") map.layers.addTo(map);
      document.body.dataset.baseReady = "true";
      return map;
    }
    map.getContainer().classList.add("offline");
    map.layers.addTo(map);
    const towns = townsLayer(map);
    map.layers.addOverlay(towns, cfg.labels.towns || "Towns");
    towns.addTo(map);
    boundaries(map, cfg)
      .then(function () { document.body.dataset.baseReady = "true"; })
      .catch(function () { status(cfg.labels.loading_failed); });
    loadTowns(map, cfg, towns).catch(function () {
      status(cfg.labels.loading_failed + " (" + (cfg.labels.towns || "Towns") + ")");
    });
    return map;
  }

  // A cordon at its true size (a circle, or the drawn polygon), above the boundaries and towns.
  function ring(site, radius, polygon, kind, cfg) {
    const style =
      kind === "inner"
        ? { color: "#b3001b", weight: 2.5, fillOpacity: 0.1, interactive: false, className: "cordon cordon-inner" }
        : { color: "#1f5fa8", weight: 2, dashArray: "6 4", fillOpacity: 0.05, interactive: false, className: "cordon cordon-outer" };
    if (polygon) return L.geoJSON(polygon, { style: style, interactive: false });
    if (radius) return L.circle(site, Object.assign({ radius: radius }, style));
    return null;
  }

  // Site names: a tooltip on hover far out; from SITE_LABEL_ZOOM on, labels that stay, each on the side
  // of its marker where it covers no other site's label.
  function labelSites(map, markers) {
    const permanent = map.getZoom() >= SITE_LABEL_ZOOM;
    const taken = [];
    const order = markers.slice().sort(function (a, b) { return b.getLatLng().lat - a.getLatLng().lat; });
    for (const marker of order) {
      let direction = "right";
      if (permanent) {
        const point = map.latLngToContainerPoint(marker.getLatLng());
        const sides = ["right", "left", "top", "bottom"];
        const free = sides.find(function (d) {
          const box = labelBox(point, marker.siteName, d, 10);
          return !taken.some(function (b) { return overlaps(b, box); });
        });
        direction = free || "right";
        taken.push(labelBox(point, marker.siteName, direction, 10));
      }
      if (marker.labelState === String(permanent) + direction) continue;
      marker.labelState = String(permanent) + direction;
      marker.unbindTooltip();
      marker.bindTooltip(text("span", marker.siteName), {
        permanent: permanent, direction: direction, offset: direction === "right" ? [8, 0] : direction === "left" ? [-8, 0] : [0, 0],
        className: permanent ? "site-label" : "",
      });
    }
  }

  function sitesLayer(collection, cfg) {
    const group = L.featureGroup();
    const markers = [];
    for (const feature of collection.features) {
      const p = feature.properties;
      const at = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      const inner = ring(at, p.inner_radius_m, p.inner_polygon, "inner", cfg);
      const outer = ring(at, p.outer_radius_m, p.outer_polygon, "outer", cfg);
      if (outer) group.addLayer(outer);
      if (inner) group.addLayer(inner);
      const marker = L.circleMarker(at, {
        radius: 6, color: "#1b2a3a", weight: 2, fillColor: "#ffffff", fillOpacity: 1,
      });
      const lines = [term(cfg, "site_kind", p.kind) + " · " + p.timezone];
      if (p.inner_radius_m) lines.push(cfg.labels.inner + ": " + Math.round(p.inner_radius_m) + " m");
      if (p.outer_radius_m) lines.push(cfg.labels.outer + ": " + Math.round(p.outer_radius_m) + " m");
      marker.bindPopup(popup(p.name, null, lines));
      marker.siteName = p.name;
      markers.push(marker);
      group.addLayer(marker);
    }
    let map = null;
    function relabel() { if (map) labelSites(map, markers); }
    group.on("add", function (e) { map = e.target._map; map.on("zoomend", relabel); relabel(); });
    group.on("remove", function () { if (map) map.off("zoomend", relabel); map = null; });
    return group;
  }

  function eventMarker(feature, cfg) {
    const p = feature.properties;
    const marker = L.circleMarker([feature.geometry.coordinates[1], feature.geometry.coordinates[0]], {
      radius: 7,
      color: "#222",
      weight: 1,
      fillColor: SEVERITY[p.severity] || SEVERITY.low,
      fillOpacity: AGE_OPACITY[p.age] || 0.6,
      severity: p.severity,
    });
    const casualties = [];
    if (p.killed != null) casualties.push(p.killed + " " + cfg.labels.killed);
    if (p.wounded != null) casualties.push(p.wounded + " " + cfg.labels.wounded);
    marker.bindPopup(
      popup((p.date || "") + " · " + p.place, p.url, [term(cfg, "attack_type", p.attack_type), casualties.join(", "), p.perpetrator]),
    );
    return marker;
  }

  function eventsLayer(collection, cfg) {
    const cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 45,
      iconCreateFunction: function (c) {
        let worst = "low";
        for (const m of c.getAllChildMarkers()) {
          const s = m.options.severity || "low";
          if (SEVERITY_RANK[s] > SEVERITY_RANK[worst]) worst = s;
        }
        return L.divIcon({
          html: "<span>" + c.getChildCount() + "</span>",
          className: "cluster cluster-" + worst,
          iconSize: L.point(36, 36),
        });
      },
    });
    for (const feature of collection.features) cluster.addLayer(eventMarker(feature, cfg));
    return cluster;
  }

  function riskColour(level) {
    return level ? RISK[level] || UNSCORED : UNSCORED;
  }

  function movementsLayer(collection, cfg) {
    const group = L.featureGroup();
    for (const feature of collection.features) {
      const p = feature.properties;
      const risk = p.risk_level ? cfg.levels[String(p.risk_level)] : cfg.labels.not_scored;
      if (p.kind === "route" || p.kind === "alternate") {
        const onRoad = p.status === "under_way" || p.status === "overdue" || p.status === "incident";
        const line = L.geoJSON(feature, {
          style: {
            color: riskColour(p.risk_level),
            weight: p.kind === "route" ? 5 : 3,
            opacity: 0.9,
            dashArray: p.kind === "alternate" ? "2 8" : onRoad ? null : "10 6",
          },
        });
        line.bindPopup(
          popup(p.reference, p.url, [p.origin + " → " + p.destination, term(cfg, "movement_status", p.status), cfg.labels.risk + ": " + risk]),
        );
        line.bindTooltip(p.reference + (p.kind === "alternate" ? " (" + p.number + ")" : ""), { sticky: true });
        group.addLayer(line);
      } else if (p.kind === "checkin") {
        const at = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
        const marker = L.circleMarker(at, {
          radius: 8, color: "#000", weight: 2, fillColor: p.status === "overdue" ? "#c62828" : "#ffeb3b", fillOpacity: 1,
        });
        marker.bindPopup(popup(p.reference, p.url, [cfg.labels.last_checkin + ": " + p.at, term(cfg, "checkin_status", p.checkin_status)]));
        marker.bindTooltip(p.reference, { permanent: true, direction: "right", className: "checkin-label" });
        group.addLayer(marker);
      }
    }
    return group;
  }

  function surfaceLayer(collection) {
    return L.geoJSON(collection, {
      interactive: false,
      style: function (feature) {
        return { stroke: false, fillColor: riskColour(feature.properties.level), fillOpacity: 0.3 };
      },
    });
  }

  window.OutriderMap = {
    config: config,
    create: create,
    getJSON: getJSON,
    status: status,
    term: term,
    popup: popup,
    sitesLayer: sitesLayer,
    eventsLayer: eventsLayer,
    eventMarker: eventMarker,
    movementsLayer: movementsLayer,
    surfaceLayer: surfaceLayer,
    riskColour: riskColour,
  };
})();

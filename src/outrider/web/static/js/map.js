// Outrider maps: an offline base of country and province boundaries (or a configured tile server),
// and the layers every page draws (sites with cordons, incidents, movements, the risk surface).
(function () {
  "use strict";

  const SEVERITY = { critical: "#b3001b", high: "#e25b00", medium: "#d9a400", low: "#5b7f2a" };
  const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 };
  const AGE_OPACITY = { recent: 0.95, year: 0.75, older: 0.45, undated: 0.55 };
  const RISK = { 1: "#2e7d32", 2: "#9e9d24", 3: "#ef6c00", 4: "#c62828", 5: "#6a1b9a" };
  const UNSCORED = "#607d8b";

  function config(id) {
    const el = document.getElementById(id || "map-config");
    return el ? JSON.parse(el.textContent) : { labels: {}, levels: {} };
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

  function create(elementId, cfg, view) {
    const map = L.map(elementId, { keyboard: true, worldCopyJump: true, zoomSnap: 0.5, minZoom: 2, maxZoom: 18 });
    map.createPane("base");
    map.getPane("base").style.zIndex = 200;
    map.setView(view && view.center ? view.center : [30.4, 69.3], view && view.zoom ? view.zoom : 5);
    map.attributionControl.setPrefix(false);
    if (cfg.tileUrl) {
      L.tileLayer(cfg.tileUrl, { maxZoom: 18, attribution: cfg.tileAttribution || "" }).addTo(map);
      document.body.dataset.baseReady = "true";
    } else {
      map.getContainer().classList.add("offline");
      boundaries(map, cfg)
        .then(function () { document.body.dataset.baseReady = "true"; })
        .catch(function () { status(cfg.labels.loading_failed); });
    }
    return map;
  }

  function ring(site, radius, polygon, kind, cfg) {
    const style =
      kind === "inner"
        ? { color: "#b3001b", weight: 2, fillOpacity: 0.08, interactive: false }
        : { color: "#1f5fa8", weight: 1.5, dashArray: "6 4", fillOpacity: 0.04, interactive: false };
    if (polygon) return L.geoJSON(polygon, { style: style, interactive: false });
    if (radius) return L.circle(site, Object.assign({ radius: radius }, style));
    return null;
  }

  function sitesLayer(collection, cfg) {
    const group = L.featureGroup();
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
      const lines = [p.kind + " · " + p.timezone];
      if (p.inner_radius_m) lines.push(cfg.labels.inner + ": " + Math.round(p.inner_radius_m) + " m");
      if (p.outer_radius_m) lines.push(cfg.labels.outer + ": " + Math.round(p.outer_radius_m) + " m");
      marker.bindPopup(popup(p.name, null, lines));
      marker.bindTooltip(p.name, { direction: "top" });
      group.addLayer(marker);
    }
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
      popup((p.date || "") + " · " + p.place, p.url, [p.attack_type, casualties.join(", "), p.perpetrator]),
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
          popup(p.reference, p.url, [p.origin + " → " + p.destination, p.status, cfg.labels.risk + ": " + risk]),
        );
        line.bindTooltip(p.reference + (p.kind === "alternate" ? " (" + p.number + ")" : ""), { sticky: true });
        group.addLayer(line);
      } else if (p.kind === "checkin") {
        const at = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
        const marker = L.circleMarker(at, {
          radius: 8, color: "#000", weight: 2, fillColor: p.status === "overdue" ? "#c62828" : "#ffeb3b", fillOpacity: 1,
        });
        marker.bindPopup(popup(p.reference, p.url, [cfg.labels.last_checkin + ": " + p.at, p.checkin_status]));
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
    popup: popup,
    sitesLayer: sitesLayer,
    eventsLayer: eventsLayer,
    eventMarker: eventMarker,
    movementsLayer: movementsLayer,
    surfaceLayer: surfaceLayer,
    riskColour: riskColour,
  };
})();

// Planning: draw the route (and alternates) on the map, kept in step with the GeoJSON text fields;
// the risk preview (an HTMX fragment) draws what the server scored, uploaded files included.
(function () {
  "use strict";
  const M = window.OutriderMap;
  const cfg = M.config();
  const map = M.create("map", cfg);
  const routeField = document.getElementById("route-geojson");
  const altField = document.getElementById("alternates-geojson");
  const target = document.getElementById("draw-target");
  const origin = document.getElementById("origin-site");
  const destination = document.getElementById("destination-site");
  const drawn = L.featureGroup().addTo(map);
  const preview = L.featureGroup().addTo(map);
  let route = [];       // [lon, lat] positions of the main route
  let alternates = [];  // lists of positions
  let current = "route";

  M.getJSON("/map/sites.geojson").then(function (sites) {
    M.sitesLayer(sites, cfg).addTo(map);
  }).catch(function () { M.status(cfg.labels.loading_failed); });

  function parse(text) {
    try { return text.trim() ? JSON.parse(text) : null; } catch (e) { return null; }
  }

  function coordsOf(geo) {
    if (!geo) return [];
    if (geo.type === "Feature") return coordsOf(geo.geometry);
    return geo.type === "LineString" && Array.isArray(geo.coordinates) ? geo.coordinates : [];
  }

  function readFields() {
    route = coordsOf(parse(routeField.value));
    const alts = parse(altField.value);
    const items = alts && alts.features ? alts.features : Array.isArray(alts) ? alts : [];
    alternates = items.map(coordsOf).filter(function (c) { return c.length; });
  }

  function writeFields() {
    routeField.value = route.length ? JSON.stringify({ type: "LineString", coordinates: route }) : "";
    altField.value = alternates.length
      ? JSON.stringify(alternates.map(function (c) { return { type: "LineString", coordinates: c }; }))
      : "";
  }

  function latlngs(coords) { return coords.map(function (p) { return [p[1], p[0]]; }); }

  function redraw() {
    drawn.clearLayers();
    alternates.forEach(function (c, i) {
      const line = L.polyline(latlngs(c), { color: "#455a64", weight: 3, dashArray: "2 8" });
      line.bindTooltip(String(i + 1));
      drawn.addLayer(line);
    });
    if (route.length) drawn.addLayer(L.polyline(latlngs(route), { color: "#1f5fa8", weight: 5 }));
    for (const p of route) drawn.addLayer(L.circleMarker([p[1], p[0]], { radius: 3, color: "#1f5fa8" }));
  }

  function active() { return current === "route" ? route : alternates[alternates.length - 1]; }

  map.on("click", function (e) {
    const point = [Number(e.latlng.lng.toFixed(5)), Number(e.latlng.lat.toFixed(5))];
    if (current === "alt" && !alternates.length) alternates.push([]);
    active().push(point);
    writeFields();
    redraw();
  });

  target.addEventListener("change", function () {
    current = target.value;
    if (current === "alt") alternates.push([]);
  });

  document.getElementById("undo-point").addEventListener("click", function () {
    const line = active();
    if (line && line.length) line.pop();
    writeFields();
    redraw();
  });

  document.getElementById("clear-route").addEventListener("click", function () {
    if (current === "route") route = []; else alternates = [];
    preview.clearLayers();
    writeFields();
    redraw();
  });

  document.getElementById("straight-line").addEventListener("click", function () {
    const a = cfg.sites[origin.value];
    const b = cfg.sites[destination.value];
    if (!a || !b) {
      M.status(cfg.labels.choose_sites);
      return;
    }
    const line = [[a.lon, a.lat], [b.lon, b.lat]];
    if (current === "route") route = line; else alternates.push(line);
    writeFields();
    redraw();
    map.fitBounds(drawn.getBounds().pad(0.3));
  });

  function showZone() {
    const site = cfg.sites[origin.value];
    const hint = document.getElementById("zone-hint");
    if (site && hint) hint.dataset.zone = site.timezone;
    if (site && hint && !hint.dataset.base) hint.dataset.base = hint.textContent;
    if (site && hint) hint.textContent = hint.dataset.base + " (" + site.timezone + ")";
  }
  origin.addEventListener("change", showZone);
  showZone();

  routeField.addEventListener("change", function () { readFields(); redraw(); });
  altField.addEventListener("change", function () { readFields(); redraw(); });

  // What the server scored (an uploaded file included): draw it with the incidents that drive its risk.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "risk-preview") return;
    const data = document.getElementById("preview-data");
    preview.clearLayers();
    if (!data) return;
    const scored = JSON.parse(data.textContent);
    if (!routeField.value.trim() && scored.route) {
      route = coordsOf(scored.route);
      writeFields();
      redraw();
    }
    if (scored.drivers && scored.drivers.features.length) preview.addLayer(M.eventsLayer(scored.drivers, cfg));
    const bounds = drawn.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 11 });
  });

  readFields();
  redraw();
  if (drawn.getLayers().length) map.fitBounds(drawn.getBounds().pad(0.3), { maxZoom: 11 });
  document.body.dataset.mapReady = "true";
})();

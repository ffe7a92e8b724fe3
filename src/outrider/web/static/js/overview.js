// The overview map: towns, sites and cordons, incidents (clustered), movements, the risk surface. The
// view is kept in the address (#map=zoom/lat/lon), so a duty officer's view of a site can be bookmarked.
(function () {
  "use strict";
  const M = window.OutriderMap;
  const cfg = M.config();
  const map = M.create("map", cfg, null, { hash: true, layers: "expanded" });
  const overlays = {};
  const control = map.layers;
  const slots = { sites: null, events: null, movements: null, surface: null };

  function put(name, layer, visible) {
    const previous = slots[name];
    const wasOn = previous ? map.hasLayer(previous) : visible;
    if (previous) {
      control.removeLayer(previous);
      map.removeLayer(previous);
    }
    slots[name] = layer;
    control.addOverlay(layer, cfg.labels[name]);
    if (wasOn) layer.addTo(map);
    overlays[name] = layer;
  }

  async function load(name, url, build, visible) {
    try {
      put(name, build(await M.getJSON(url), cfg), visible);
    } catch (err) {
      if (window.console) console.warn(name, err);
      M.status(cfg.labels.loading_failed + " (" + cfg.labels[name] + ")");
    }
  }

  let surfaceTimer = null;
  function loadSurface() {
    clearTimeout(surfaceTimer);
    surfaceTimer = setTimeout(function () {
      const b = map.getBounds();
      const clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)); };
      const bbox = [
        clamp(b.getWest(), -180, 179.9), clamp(b.getSouth(), -90, 89.9),
        clamp(b.getEast(), -179.9, 180), clamp(b.getNorth(), -89.9, 90),
      ].map(function (v) { return v.toFixed(3); }).join(",");
      const resolution = Math.max(2, Math.min(7, Math.round(map.getZoom() - 1)));
      load("surface", "/map/surface.geojson?bbox=" + bbox + "&resolution=" + resolution, M.surfaceLayer, true);
    }, 400);
  }

  Promise.all([
    load("surface", "/map/surface.geojson", M.surfaceLayer, true),
    load("sites", "/map/sites.geojson", M.sitesLayer, true),
    load("events", "/map/events.geojson", M.eventsLayer, true),
    load("movements", "/map/movements.geojson", M.movementsLayer, true),
  ]).then(function () {
    const layer = slots.movements;
    if (layer && layer.getLayers().length && !map.fromHash) map.fitBounds(layer.getBounds().pad(0.3), { maxZoom: 8 });
    map.on("moveend", loadSurface);
    document.body.dataset.mapReady = "true";
  });
  // A wall screen stays current: movements every minute (each refresh is an audited itinerary read).
  setInterval(function () { load("movements", "/map/movements.geojson", M.movementsLayer, true); }, 60000);
})();

// A site's form beside its map: a click sets the site's point, the radii typed are drawn as the inner and
// outer cordons, and the fields and the drawing stay in step (a polygon cordon is drawn as it is stored).
(function () {
  "use strict";
  const M = window.OutriderMap;
  const cfg = M.config();
  const lat = document.getElementById("field-lat");
  const lon = document.getElementById("field-lon");
  const inner = document.getElementById("field-inner-radius-m");
  const outer = document.getElementById("field-outer-radius-m");
  const start = point();
  const map = M.create("map", cfg, start ? { center: start, zoom: 13 } : null);
  const drawn = L.featureGroup().addTo(map);

  function number(field) {
    const value = Number(String(field.value).trim());
    return field.value.trim() !== "" && Number.isFinite(value) ? value : null;
  }

  function point() {
    const a = number(lat);
    const b = number(lon);
    return a !== null && b !== null && Math.abs(a) <= 90 && Math.abs(b) <= 180 ? [a, b] : null;
  }

  function ring(at, radius, polygon, style) {
    if (radius !== null && radius > 0) return L.circle(at, Object.assign({ radius: radius, interactive: false }, style));
    if (polygon) return L.geoJSON(polygon, { style: style, interactive: false });
    return null;
  }

  function redraw(fit) {
    drawn.clearLayers();
    const at = point();
    if (!at) return;
    const polygons = cfg.polygons || {};
    const outerRing = ring(at, number(outer), polygons.outer, { color: "#1f5fa8", weight: 2, dashArray: "6 4", fillOpacity: 0.05 });
    const innerRing = ring(at, number(inner), polygons.inner, { color: "#b3001b", weight: 2, fillOpacity: 0.1 });
    if (outerRing) drawn.addLayer(outerRing);
    if (innerRing) drawn.addLayer(innerRing);
    drawn.addLayer(L.circleMarker(at, { radius: 6, color: "#1b2a3a", weight: 2, fillColor: "#ffffff", fillOpacity: 1 }));
    if (fit && drawn.getLayers().length > 1) map.fitBounds(drawn.getBounds(), { padding: [30, 30], maxZoom: 16 });
  }

  if (cfg.editable) {
    map.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(5);
      lon.value = e.latlng.lng.toFixed(5);
      redraw(false);
    });
    for (const field of [lat, lon, inner, outer]) {
      field.addEventListener("input", function () { redraw(false); });
      field.addEventListener("change", function () { redraw(true); });
    }
  }
  redraw(true);
  document.body.dataset.mapReady = "true";
})();

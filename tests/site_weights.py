"""Page weights of a built site: bytes of HTML, and of the CSS and JS each page links to, before
compression. Run `python -m tests.site_weights output` after `signpost build .` for the table
in docs/site.md; the budget test imports `page_weight`."""
from __future__ import annotations

import re
import sys
from pathlib import Path

PAGE_TYPES = {
    "home": "index.html", "entry (Samaritans)": "entries/samaritans/index.html",
    "list: kind": "kinds/helpline/index.html", "list: topic": "topics/suicide/index.html",
    "list: audience": "audiences/everyone/index.html", "list: country": "countries/gb/index.html",
    "list: language": "languages/en/index.html", "taxonomy index": "topics/index.html",
    "A–Z": "a-z/index.html", "content page": "about/index.html", "404": "404.html",
}


def page_weight(root: Path, rel: str) -> dict[str, int]:
    """Bytes of one HTML page and of the fingerprinted CSS and JS files it links to."""
    html = (root / rel).read_bytes()
    weights = {"html": len(html), "css": 0, "js": 0}
    for path, kind in re.findall(rb'(?:href|src)="[^"]*?/(assets/[^"]+\.(css|js))"', html):
        weights[kind.decode()] += (root / path.decode()).stat().st_size
    return weights


def heaviest_entry(root: Path) -> tuple[str, dict[str, int]]:
    weights = {p.parent.name: page_weight(root, p.relative_to(root).as_posix())
               for p in (root / "entries").glob("*/index.html")}
    slug = max(weights, key=lambda s: sum(weights[s].values()))
    return slug, weights[slug]


def table(root: Path) -> str:
    rows = ["| Page | HTML | CSS | JS | Total |", "|---|---:|---:|---:|---:|"]
    slug, heavy = heaviest_entry(root)
    for name, rel in [*PAGE_TYPES.items(), (f"heaviest entry ({slug})", f"entries/{slug}/index.html")]:
        w = page_weight(root, rel)
        rows.append(f"| {name} | {w['html']:,} | {w['css']:,} | {w['js']:,} | {sum(w.values()):,} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table(Path(sys.argv[1] if len(sys.argv) > 1 else "output")))

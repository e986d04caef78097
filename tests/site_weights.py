"""Page weights of a built site: bytes of HTML, and of the CSS and JS each page links to, before
compression. Run `python -m tests.site_weights output` after `signpost build .` for the table
in docs/site.md; the budget test imports `page_weight`."""
from __future__ import annotations

import gzip
import re
import sys
import zlib
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


FIRST_ROUND_TRIP = 14 * 1024  # TCP's initial window: 10 packets of about 1,460 bytes


def crisis_block_end(html: bytes, country: bytes = b"GB") -> tuple[int, int]:
    """(where the default country's crisis block ends in the HTML, how many bytes of HTML the
    first 14 KB of its gzip stream (level 6, as servers use) unpack to)."""
    start = html.find(b'<section data-country="' + country + b'"')
    end = html.find(b"</section>", start) + len(b"</section>") if start >= 0 else 0
    first = zlib.decompressobj(wbits=31).decompress(gzip.compress(html, 6, mtime=0)[:FIRST_ROUND_TRIP])
    return end, len(first)


def precache(root: Path) -> dict[str, int]:
    """Bytes of each file the offline worker (sw.js) stores on a first visit."""
    listed = re.search(r"const PRECACHE = \[(.*?)\];", (root / "sw.js").read_text(), re.S).group(1)
    base = re.search(r'const SCOPE = "([^"]*)"', (root / "sw.js").read_text()).group(1)
    return {url: (root / url[len(base):]).stat().st_size for url in re.findall(r'"([^"]+)"', listed)}


def heaviest_entry(root: Path, language: str = "") -> tuple[str, dict[str, int]]:
    """The heaviest entry page of one language ("" the default, at the root; "fr" under /fr/)."""
    weights = {p.parent.name: page_weight(root, p.relative_to(root).as_posix())
               for p in (root / language / "entries").glob("*/index.html")}
    slug = max(weights, key=lambda s: sum(weights[s].values()))
    return slug, weights[slug]


def table(root: Path) -> str:
    rows = ["| Page | HTML | CSS | JS | Total |", "|---|---:|---:|---:|---:|"]
    slug, _ = heaviest_entry(root)
    pages = [*PAGE_TYPES.items(), (f"heaviest entry ({slug})", f"entries/{slug}/index.html")]
    # The home page and the heaviest entry in each other language the site is built in.
    for language in sorted(p.parent.parent.name for p in root.glob("*/search/facets.json")):
        slug, _ = heaviest_entry(root, language)
        pages += [(f"home ({language})", f"{language}/index.html"),
                  (f"heaviest entry ({language}: {slug})", f"{language}/entries/{slug}/index.html")]
    for name, rel in pages:
        w = page_weight(root, rel)
        rows.append(f"| {name} | {w['html']:,} | {w['css']:,} | {w['js']:,} | {sum(w.values()):,} |")
    return "\n".join(rows)


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "output")
    print(table(root))
    html = (root / "index.html").read_bytes()
    end, first = crisis_block_end(html)
    print(f"\nhome: {len(gzip.compress(html, 6, mtime=0)):,} bytes gzip; the default country's crisis block ends "
          f"at byte {end:,} of the HTML; the first 14 KB of gzip unpack to {first:,} bytes")
    stored = precache(root)
    print(f"first visit precaches {sum(stored.values()):,} bytes: " + ", ".join(f"{u} {n:,}" for u, n in stored.items()))

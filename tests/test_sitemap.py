"""The sitemap: every page once, with its alternates, split to the protocol's limits."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from generator import sitemap
from generator.build import build
from generator.rebuild import LiveSite
from generator.sitemap import sitemap_files
from tests.conftest import GOOD_ENTRY, TODAY
from tests.test_outputs import files_under

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def pages(n, languages=("en", "fr")):
    for i in range(n):
        url = f"https://example.org/entries/e{i}/"
        yield url, [(code, url.replace("org/", f"org/{code}/") if code != "en" else url) for code in languages]


def locations(xml: bytes) -> list[str]:
    return [loc.text for loc in ET.fromstring(xml).iterfind("s:url/s:loc", NS)]


def test_a_small_site_has_one_sitemap_with_alternates_and_x_default():
    files = dict(sitemap_files(pages(3), lambda path: "https://example.org" + path))
    assert list(files) == ["sitemap.xml"]
    root = ET.fromstring(files["sitemap.xml"])
    first = root.find("s:url", NS)
    links = {link.get("hreflang"): link.get("href") for link in first.iterfind("x:link", NS)}
    assert links == {"en": "https://example.org/entries/e0/", "fr": "https://example.org/fr/entries/e0/",
                     "x-default": "https://example.org/entries/e0/"}
    assert locations(files["sitemap.xml"]) == [f"https://example.org/entries/e{i}/" for i in range(3)]


def test_past_the_url_limit_sitemap_xml_is_an_index_of_parts_beside_it():
    files = dict(sitemap_files(pages(7), lambda path: "https://example.org/help" + path, max_urls=3))
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == "{%s}sitemapindex" % NS["s"]
    assert [loc.text for loc in index.iterfind("s:sitemap/s:loc", NS)] == [
        f"https://example.org/help/sitemap-{n}.xml" for n in (1, 2, 3)]
    parts = [locations(files[f"sitemap-{n}.xml"]) for n in (1, 2, 3)]
    assert [len(part) for part in parts] == [3, 3, 1]
    assert sum(parts, []) == [f"https://example.org/entries/e{i}/" for i in range(7)]


def test_no_part_is_over_the_byte_limit():
    limit = 2000
    files = dict(sitemap_files(pages(40), lambda path: "https://example.org" + path, max_bytes=limit))
    parts = [data for name, data in files.items() if name != "sitemap.xml"]
    assert len(parts) > 2 and all(len(data) <= limit for data in parts)
    assert sum((locations(data) for data in parts), []) == [f"https://example.org/entries/e{i}/" for i in range(40)]


def test_urls_are_escaped():
    files = dict(sitemap_files([("https://example.org/a?b=1&c=2", [])], lambda path: path))
    assert b"<loc>https://example.org/a?b=1&amp;c=2</loc>" in files["sitemap.xml"]
    assert locations(files["sitemap.xml"]) == ["https://example.org/a?b=1&c=2"]


def test_a_build_past_the_limit_writes_the_parts_and_serve_has_the_same(project, tmp_path, monkeypatch):
    monkeypatch.setattr(sitemap, "MAX_URLS", 5)
    for n in range(4):
        project.entry(f"gb/line-{n}.yaml", GOOD_ENTRY.replace("Good Line", f"Line {n}")
                      .replace("0800 068 4141", f"0800 068 414{n}").replace("good.example", f"line{n}.example"))
    build(project.root, tmp_path / "out", TODAY)
    built = files_under(tmp_path / "out")
    parts = sorted(name for name in built if name.startswith("sitemap-"))
    assert len(parts) >= 3
    every = sum((locations(built[name]) for name in parts), [])
    assert len(every) == len(set(every)) and "https://example.org/entries/line-0/" in every
    assert all(len(locations(built[name])) <= 5 for name in parts)
    assert b"Sitemap: https://example.org/sitemap.xml" in built["robots.txt"]
    live = LiveSite(project.root, project.root / "output")
    assert live.rebuild().ok
    assert {name: live.files[name] for name in [*parts, "sitemap.xml"]} == {name: built[name] for name in [*parts, "sitemap.xml"]}

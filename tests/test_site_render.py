"""What the visitor's pages carry without a browser: safe JSON-LD, the open-now data and the
offline worker at a stable URL under the base path."""
from __future__ import annotations

import json
import re

from generator.build import build
from tests.conftest import TODAY

TRICKY_ENTRY = """\
name: Tricky Line
kind: helpline
summary: "Ends early? </script><script>alert(1)</script> & more"
countries: [GB]
languages: [en]
topics: [anxiety]
crisis: true
contacts:
  - {type: phone, value: "0800 068 4141", hours: [{days: fri-mon, open: "22:00", close: "02:00"}]}
timezone: Europe/London
website: https://tricky.example.org/
sources: [https://tricky.example.org/about]
last_verified: 2026-10-01
"""


def built(project, base_url="https://example.org/"):
    project.entry("gb/tricky-line.yaml", TRICKY_ENTRY)
    if base_url != "https://example.org/":
        site = (project.root / "site.yaml").read_text().replace("https://example.org/", base_url)
        project.write("site.yaml", site)
    out = project.root.parent / "output"
    build(project.root, out, on=TODAY)
    return out


def test_json_ld_is_escaped_and_describes_the_contact_point(project):
    html = (built(project) / "entries/tricky-line/index.html").read_text()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1 and "</" not in scripts[0]
    data = json.loads(scripts[0])
    assert data["@type"] == "Organization" and data["description"].startswith("Ends early? </script>")
    point = data["contactPoint"][0]
    assert point["@type"] == "ContactPoint" and point["telephone"] == "+448000684141"
    assert point["areaServed"] == ["GB"] and point["availableLanguage"] == ["en"]
    days = [spec["dayOfWeek"] for spec in point["hoursAvailable"]]
    assert days == ["Monday", "Friday", "Saturday", "Sunday"]  # fri-mon wraps round the week


def test_hours_reach_the_browser_as_minutes_in_the_entry_time_zone(project):
    html = (built(project) / "entries/tricky-line/index.html").read_text()
    assert "data-hours='[[0, 1320, 120], [4, 1320, 120], [5, 1320, 120], [6, 1320, 120]]'" in html
    assert 'data-tz="Europe/London"' in html
    assert "Fri–Mon 22:00–02:00 (London time)" in html


def test_service_worker_is_unfingerprinted_and_knows_the_base_path(project):
    out = built(project, "https://example.org/help/")
    worker = (out / "sw.js").read_text()
    assert '"/help/"' in worker and "/help/countries/" not in worker  # home only: it has every country's numbers
    assert re.search(r'"/help/assets/style\.[0-9a-f]{10}\.css"', worker)
    home = (out / "index.html").read_text()
    assert 'data-worker="/help/sw.js"' in home and 'data-root="/help/"' in home
    for page in [home, (out / "entries/tricky-line/index.html").read_text(), (out / "404.html").read_text()]:
        assert re.findall(r'(?:href|src)="/(?!help/)[^"]*"', page) == []


def test_a_name_in_another_language_is_marked_but_the_english_summary_is_not(project):
    project.entry("de/seelsorge.yaml", TRICKY_ENTRY.replace("Tricky Line", "Seelsorge Telefon")
                  .replace("languages: [en]", "languages: [de]").replace("0800 068 4141", "0800 111 0 111")
                  .replace("countries: [GB]", "countries: [DE]").replace("tricky.", "seelsorge."))
    html = (built(project) / "entries/seelsorge/index.html").read_text()
    assert '<h1 lang="de">Seelsorge Telefon</h1>' in html
    assert '<p class="summary">' in html


def test_a_to_z_groups_names_by_first_letter_whatever_its_case(project):
    from tests.conftest import GOOD_ENTRY
    for slug, name, number in [("eheadspace", "eheadspace", "4142"), ("easy-line", "Easy Line", "4143")]:
        project.entry(f"gb/{slug}.yaml", GOOD_ENTRY.replace("Good Line", name).replace("4141", number)
                      .replace("good.", f"{slug}."))
    html = (built(project) / "a-z" / "index.html").read_text()
    headings = re.findall(r"<h2 id=\"letter-\d+\">(.*?)</h2>", html)
    assert headings == ["E", "T"]
    e_group = html.split(">E</h2>")[1].split("</ul>")[0]
    assert e_group.index("Easy Line") < e_group.index("eheadspace")

"""Render: links that work, escaping of hostile content, safe Markdown, and the page plan."""
import gc
import weakref

from generator import parallel
from generator.build import build, check
from generator.markdown import render_markdown
from generator.model import build_site
from generator.i18n import language
from generator.outputs import render_all
from generator.render import make_environment
from tests.conftest import GOOD_ENTRY, TODAY


def built(project, text=GOOD_ENTRY, rel="gb/entry.yaml"):
    project.entry(rel, text)
    out = project.root / "output"
    build(project.root, out, TODAY)
    return out


def page(out, url):
    return (out / url.strip("/") / "index.html").read_text()


def test_contacts_are_real_links(project):
    text = GOOD_ENTRY.replace("contacts:\n", 'contacts:\n  - {type: sms, value: "85258", keyword: SHOUT}\n'
                                             "  - {type: email, value: jo@example.org}\n")
    html = page(built(project, text), "/entries/entry/")
    assert 'href="tel:+448000684141"' in html
    assert 'href="sms:85258?body=SHOUT"' in html
    assert 'href="mailto:jo@example.org"' in html


def test_hostile_name_summary_and_body_are_escaped(project):
    text = GOOD_ENTRY.replace("name: Good Line", "name: '<script>alert(1)</script>'").replace(
        "summary: A test line.", "summary: '\"><img src=x onerror=alert(1)>'")
    project.entry("gb/hostile.md", f"---\n{text}---\n<script>alert(2)</script>\n\n[x](javascript:alert(3))\n")
    out = project.root / "output"
    build(project.root, out, TODAY)
    html = page(out, "/entries/hostile/")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    for listing in ("/a-z/", "/topics/anxiety/", "/"):
        assert "<script>alert" not in page(out, listing)


def test_markdown_drops_raw_html_and_unsafe_links():
    html = render_markdown("<b>bold</b> [a](javascript:x) [b](vbscript:y) [c](https://ok.example/) [d](tel:+441)")
    assert "<b>" not in html and "&lt;b&gt;" in html
    # A refused link stays as plain text, never as an href.
    assert 'href="javascript' not in html and 'href="vbscript' not in html and "[a](javascript:x)" in html
    assert '<a href="https://ok.example/" rel="noopener noreferrer">c</a>' in html
    assert '<a href="tel:+441">d</a>' in html


def test_every_page_type_is_written(project):
    out = built(project)
    for url in ("/", "/a-z/", "/entries/entry/", "/kinds/helpline/", "/topics/anxiety/", "/audiences/everyone/",
                "/countries/gb/", "/languages/en/", "/kinds/", "/topics/"):
        assert "<h1>" in page(out, url), url
    for name in ("404.html", "sitemap.xml", "feed.xml", "robots.txt", "schema/entry.schema.json"):
        assert (out / name).is_file(), name


def test_home_shows_emergency_numbers(project):
    html = page(built(project), "/")
    assert 'href="tel:999"' in html and 'href="tel:112"' in html


def test_sitemap_and_feed_use_absolute_urls_under_the_base_path(project):
    project.write("site.yaml", (project.root / "site.yaml").read_text().replace(
        "base_url: https://example.org/", "base_url: https://example.org/directory/"))
    out = built(project)
    assert "<loc>https://example.org/directory/entries/entry/</loc>" in (out / "sitemap.xml").read_text()
    feed = (out / "feed.xml").read_text()
    assert "<updated>2026-10-01T00:00:00Z</updated>" in feed and "https://example.org/directory/entries/entry/" in feed
    assert 'href="/directory/entries/entry/"' in page(out, "/a-z/")
    assert "Sitemap: https://example.org/directory/sitemap.xml" in (out / "robots.txt").read_text()


def test_long_lists_are_paginated(project):
    for n in range(105):
        text = GOOD_ENTRY.replace("Good Line", f"Line {n:03}").replace("good.", f"good{n}.").replace(
            '"0800 068 4141"', f'"0800 068 {4000 + n}"')
        project.entry(f"gb/line-{n}.yaml", text)
    out = project.root / "output"
    build(project.root, out, TODAY)
    first, second = page(out, "/topics/anxiety/"), page(out, "/topics/anxiety/page/2/")
    assert first.count('class="card"') == 100 and second.count('class="card"') == 5
    assert 'href="/topics/anxiety/page/2/"' in first


def test_a_rendered_model_is_freed_without_the_cyclic_collector(project, monkeypatch):
    """Jinja's environment is full of reference cycles; a model left in it would be freed only by
    the cyclic collector, which at 10,000 entries took longer than freeing the model itself."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)  # pages render in forked workers, as in a large build
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    project.entry("gb/entry.yaml")
    site = build_site(check(project.root, TODAY)[0])
    gc.disable()
    try:
        render_all(site, project.root / "templates")
        model = weakref.ref(site)
        del site
        assert model() is None
    finally:
        gc.enable()


def test_the_parent_of_every_entry_url_lists_every_entry(project):
    project.entry("ie/other.yaml", GOOD_ENTRY.replace("Good Line", "Other Line").replace("[GB]", "[IE]")
                  .replace('"0800 068 4141"', '"116 123"').replace("good.", "other."))
    html = page(built(project), "/entries/")
    assert 'href="/entries/entry/"' in html and 'href="/entries/other/"' in html


class French:
    """A catalogue of a few messages, as gettext has it."""
    words = {"Close": "Fermer", "100%% free": "100 %% gratuit", "Hi %(name)s": "Salut %(name)s", "Help": "Aide"}

    def gettext(self, message):
        return self.words.get(message, message)

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


def test_literal_messages_are_worded_when_templates_compile(tmp_path):
    source = ('{{ _("Close") }}|{{ _("Close").upper() }}|{{ _("100%% free") }}|{{ _("Hi %(name)s", name="<b>") }}'
              '|{{ _(word) }}|{{ _("Close") ~ "!" }}')
    (tmp_path / "t.html").write_text(source)
    env = make_environment(tmp_path, "https://example.org/", {}, language("fr"), None, French())
    # Worded as `_()` words it at render time: the translation, %% as %, values escaped in.
    assert env.get_template("t.html").render(word="Help") == "Fermer|FERMER|100 % gratuit|Salut &lt;b&gt;|Aide|Fermer!"
    compiled = env.compile(source, raw=True)
    assert "Fermer" in compiled and "100 % gratuit" in compiled  # constant text in the compiled template
    assert compiled.count("context.call(") == 3  # left: .upper(), the call with a value, the one of a variable

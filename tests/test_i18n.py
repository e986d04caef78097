"""The interface in every language: catalogues, pages per language, hreflang, switcher, formats."""
from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

from generator.build import build
from generator.errors import SignpostError
from generator.i18n import NEEDS_REVIEW, extracted, missing_strings, translations
from generator.render import sort_key
from generator.schema import language_code
from tests.conftest import GOOD_ENTRY, ROOT, TODAY

LANGUAGES = ["en", "fr", "es", "pt", "de", "nl", "ja", "hi", "ar"]
# Attributes a visitor reads or hears: their values must be translated like text.
READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}
TEMPLATES = sorted(p for p in (ROOT / "templates").rglob("*.html"))


class Literals(HTMLParser):
    """English left in a template: text, or a read attribute, outside every {{ }} and {% %}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag in ("script", "style")
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and has_words(value):
                self.found.append((self.getpos()[0], f'{name}="{value}"'))

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if not self.in_script and has_words(data):
            self.found.append((self.getpos()[0], data.replace(" _ ", " ").strip()))


def has_words(text: str) -> bool:
    """Two letters in a row: a word (the placeholder of template code is " _ ")."""
    return re.search(r"[^\W\d_]{2,}", text) is not None


def template_text(source: str) -> str:
    """The template's HTML with every tag, expression and comment replaced by a placeholder
    that keeps its line breaks, so the parser's lines are the template's."""
    out, code = [], ""
    for _line, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        if kind == "data":
            out.append(placeholder(code) + value)
            code = ""
        else:
            code += value
    return "".join(out) + placeholder(code)


def placeholder(code: str) -> str:
    return " _ " + "\n" * code.count("\n") if code else ""


def untranslated(path: Path) -> list[str]:
    parser = Literals()
    parser.feed(template_text(path.read_text(encoding="utf-8")))
    rel = path.relative_to(ROOT).as_posix()
    return [f"{rel}:{line}: {text!r}" for line, text in parser.found]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(ROOT / "templates").as_posix())
def test_templates_hold_no_untranslated_literal(path):
    assert untranslated(path) == []


def test_the_literal_check_finds_english_text_and_labels(tmp_path):
    page = tmp_path / "templates" / "x.html"
    page.parent.mkdir()
    page.write_text('{% if a %}\n<nav aria-label="Main">{{ _("Fine") }}</nav>\n<p>Left in English {{ b }}</p>{% endif %}\n')
    parser = Literals()
    parser.feed(template_text(page.read_text()))
    assert parser.found == [(2, 'aria-label="Main"'), (3, "Left in English")]


# Script literals that are code, not words a visitor reads: a directive, class names, a rel value.
SCRIPT_CODE = {"use strict", "noopener noreferrer", "badge badge-crisis", "badge ${}"}
SCRIPTS = sorted((ROOT / "templates/static").glob("*.js"))


def script_literals(source: str) -> list[tuple[int, str]]:
    """String and template literals with words in them that do not go through t("...")."""
    from babel.messages import jslexer
    tokens = [t for t in jslexer.tokenize(source, jsx=False) if t.type not in ("linecomment", "multilinecomment")]
    found = []
    for i, token in enumerate(tokens):
        if token.type not in ("string", "template_string") or [t.value for t in tokens[max(0, i - 2):i]] == ["t", "("]:
            continue
        text = re.sub(r"\$\{[^}]*\}", "${}", token.value[1:-1])
        words = re.findall(r"[A-Za-z]{2,}", text.replace("${}", ""))
        template_words = token.type == "template_string" and " " in text and words  # not paths nor selectors
        if (template_words or re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", text)) and text not in SCRIPT_CODE:
            found.append((token.lineno, text))
    return found


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # babel's JavaScript lexer, used as its extractor does
@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_scripts_hold_no_untranslated_literal(path):
    assert script_literals(path.read_text(encoding="utf-8")) == []


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_script_check_finds_english_words():
    source = 'el("p", {textContent: "Nothing found"}); t("Fine words"); `${n} results`; x.rel = "noopener noreferrer";'
    assert script_literals(source) == [(1, "Nothing found"), (1, "${} results")]


@pytest.mark.parametrize("code", LANGUAGES[1:])
def test_every_catalogue_has_every_string(code):
    with (ROOT / f"locales/{code}/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f, locale=code)
    assert missing_strings(ROOT, catalog) == []


def test_a_catalogue_that_lacks_a_string_fails_the_build_naming_file_and_line(tmp_path):
    root = copy_sample(tmp_path)
    po = root / "locales/fr/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Quitter cette page"', 'msgstr ""'), encoding="utf-8")
    with pytest.raises(SignpostError) as caught:
        build(root, root / "output", TODAY)
    message = str(caught.value)
    assert "locales/fr/LC_MESSAGES/messages.po lacks 1 interface string" in message
    assert re.search(r'templates/partials/site-header\.html:\d+: "Exit this page"', message)
    assert not (root / "output").exists()


def test_crisis_wording_is_marked_for_review_and_pages_say_so(tmp_path):
    with (ROOT / "locales/ar/LC_MESSAGES/messages.po").open("rb") as f:
        marked = {m.id for m in read_po(f) if any(NEEDS_REVIEW in c for c in m.user_comments)}
    assert {"Exit this page", "In danger now? Call your emergency number", "Call %(number)s"} <= marked
    out = built_sample(tmp_path)
    assert 'class="review-notice"' in (out / "ar/index.html").read_text()
    assert 'class="review-notice"' not in (out / "index.html").read_text()


# Languages whose country names take an article or a case after a preposition: "in {place}" reads
# "in Vereinigte Staaten", not "in den Vereinigten Staaten"; "em Reino Unido", not "no Reino Unido".
SET_APART = ("fr", "de", "nl", "es", "pt")
PLACE = r"(\{places?\}|%\(places?\)s)"


@pytest.mark.parametrize("code", SET_APART)
def test_a_country_name_is_set_apart_where_the_sentence_would_inflect_it(code):
    with (ROOT / f"locales/{code}/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f, locale=code)
    worded = [(m.id, m.string) for m in catalog if m.id and re.search(PLACE, str(m.id))]
    assert len(worded) >= 5
    for message, text in worded:  # after a colon, or in brackets, as "Dringende Hilfe: %(place)s"
        assert re.search(r"(: |\()" + PLACE, text), (message, text)


def test_arabic_has_six_plural_forms():
    gettext = translations(ROOT, "ar", "en")
    forms = {n: gettext.ngettext("%(num)s service", "%(num)s services", n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(set(forms.values())) == 5  # "many" (11) and "other" (100) read the same: خدمة
    assert forms[2] == "خدمتان" and forms[3] == "%(num)s خدمات"


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory) -> Path:
    return built_sample(tmp_path_factory.mktemp("i18n"))


def copy_sample(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for name in ("content", "templates", "locales"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    return root


def built_sample(tmp_path: Path) -> Path:
    root = copy_sample(tmp_path)
    build(root, root / "output", TODAY, search=False, data=False)
    return root / "output"


def test_every_language_has_the_same_pages_under_its_prefix(sample_out):
    english = {p.relative_to(sample_out).as_posix() for p in sample_out.rglob("index.html")
               if p.relative_to(sample_out).parts[0] not in LANGUAGES}
    for code in LANGUAGES[1:]:
        own = {p.relative_to(sample_out / code).as_posix() for p in (sample_out / code).rglob("index.html")}
        assert own == english, code


@pytest.mark.parametrize("code, direction", [("en", "ltr"), ("fr", "ltr"), ("ja", "ltr"), ("ar", "rtl")])
def test_pages_carry_their_language_and_direction(sample_out, code, direction):
    page = sample_out / ("" if code == "en" else code) / "entries/samaritans/index.html"
    assert re.search(f'<html lang="{code}" dir="{direction}"[ >]', page.read_text())


def test_hreflang_alternates_and_x_default_on_pages_and_in_the_sitemap(sample_out):
    html = (sample_out / "fr/entries/samaritans/index.html").read_text()
    for code in LANGUAGES:
        prefix = "" if code == "en" else f"{code}/"
        assert f'<link rel="alternate" hreflang="{code}" href="https://example.org/{prefix}entries/samaritans/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="https://example.org/entries/samaritans/">' in html
    sitemap = (sample_out / "sitemap.xml").read_text()
    assert "<loc>https://example.org/ar/entries/samaritans/</loc>" in sitemap
    line = next(l for l in sitemap.splitlines() if "<loc>https://example.org/ar/entries/samaritans/</loc>" in l)
    assert line.count("<xhtml:link") == len(LANGUAGES) + 1 and 'hreflang="x-default"' in line


def test_the_switcher_names_each_language_in_itself_and_keeps_the_page(sample_out):
    html = (sample_out / "de/topics/grief/index.html").read_text()
    nav = html[html.index('<nav class="languages"'):]
    nav = nav[:nav.index("</nav>")]
    for href, name in [("/topics/grief/", "English"), ("/fr/topics/grief/", "Français"),
                       ("/ja/topics/grief/", "日本語"), ("/ar/topics/grief/", "العربية"), ("/hi/topics/grief/", "हिन्दी")]:
        assert re.search(rf'href="{re.escape(href)}"[^>]*>{name}</a>', nav), name
    assert 'href="/de/topics/grief/" lang="de" aria-current="true"' in nav


def test_a_page_fetches_the_words_of_its_own_scripts_only(sample_out):
    """The search page's words (most of the scripts' strings) are fetched on the search page
    alone; every other page fetches those of site.js and hours.js."""
    def strings_of(rel):
        html = (sample_out / rel).read_text()
        return json.loads((sample_out / re.search(r'data-strings="/([^"]+)"', html).group(1)).read_text())

    def words_of(*scripts):
        # a plural message (tn) by its singular, as the strings file keys it
        return {m if isinstance(m, str) else m[0] for m, f, _ in extracted(ROOT) if Path(f).name in scripts}

    only_search = words_of("search.js") - words_of("site.js", "hours.js")
    home, entry = strings_of("fr/index.html"), strings_of("fr/entries/samaritans/index.html")
    search = strings_of("fr/search/index.html")
    assert home == entry and set(home) == words_of("site.js", "hours.js")
    assert only_search and not only_search & set(home) and set(search) == set(home) | only_search
    assert home["Exit this page expired."] != "Exit this page expired."  # in French
    # and a count's forms by the category Intl.PluralRules gives (French: 0 and 1 are "one")
    assert search["%(num)s service"] == {"one": "%(num)s service", "many": "%(num)s services", "other": "%(num)s services"}


def test_no_page_redirects_by_accept_language(sample_out):
    for code in LANGUAGES:
        assert 'http-equiv="refresh"' not in (sample_out / ("" if code == "en" else code) / "index.html").read_text()
    # The browser's languages may suggest a country (site.js), never move the visitor to another page.
    for script in (ROOT / "templates/static").glob("*.js"):
        assert not re.search(r"location\.(href\s*=|assign|replace)[^;]*lang", script.read_text(), re.I), script.name


def test_dates_and_hours_are_worded_in_the_page_locale(sample_out):
    french = (sample_out / "fr/entries/samaritans/index.html").read_text()
    assert "24 heures sur 24, 7 jours sur 7" in french and "Appeler" in french
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|'
                     r'septembre|octobre|novembre|décembre) \d{4}</time>', french)
    english = (sample_out / "entries/samaritans/index.html").read_text()
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">\d{1,2} [A-Z][a-z]+ \d{4}</time>', english)


def test_vocabulary_labels_come_from_site_yaml_and_countries_from_cldr(sample_out):
    html = (sample_out / "fr/kinds/index.html").read_text()
    assert "Lignes d’écoute" in html
    assert "Royaume-Uni" in (sample_out / "fr/countries/index.html").read_text()


def test_terms_are_listed_in_the_order_of_their_labels_in_the_page_language(sample_out):
    def listed(rel, taxonomy="countries"):
        return re.findall(rf'href="/(?:fr/)?{taxonomy}/[a-z-]+/">([^<(]+?) ', (sample_out / rel).read_text())

    english, french = listed("countries/index.html"), listed("fr/countries/index.html")
    assert french.index("Allemagne") < french.index("Australie") < french.index("Brésil") < french.index("Canada")
    assert english.index("Australia") < english.index("Brazil") < english.index("Germany")
    topics = listed("fr/index.html", "topics")  # the home page's Browse too
    assert len(topics) > 5 and topics == listed("fr/topics/index.html", "topics")
    assert topics == sorted(topics, key=sort_key)


def test_an_entry_gives_its_own_words_or_the_page_says_it_falls_back(project):
    project.write("site.yaml", (project.root / "site.yaml").read_text() + "languages: [en, fr]\n")
    shutil.copytree(ROOT / "locales", project.root / "locales")
    project.entry("gb/good-line.yaml", GOOD_ENTRY + "translations:\n  fr: {summary: Une ligne de test.}\n")
    project.entry("gb/other-line.yaml", GOOD_ENTRY.replace("Good Line", "Other Line").replace("0800 068 4141", "116 123")
                  .replace("good.example", "other.example"))
    build(project.root, project.root / "output", TODAY)
    own = (project.root / "output/fr/entries/good-line/index.html").read_text()
    assert '<p class="summary">Une ligne de test.</p>' in own and 'class="fallback"' not in own
    other = (project.root / "output/fr/entries/other-line/index.html").read_text()
    assert '<p class="summary" lang="en" dir="ltr">A test line.</p>' in other and 'class="fallback"' in other
    # The language it falls back to, named in the page's language: "en anglais", not "en English".
    assert re.search(r'<p class="fallback">[^<]* affichées en anglais\.</p>', other)


def test_a_page_not_yet_translated_names_its_language_in_the_page_language(sample_out):
    for prefix, name in (("fr", "anglais"), ("de", "Englisch"), ("ar", "الإنجليزية")):
        text = (sample_out / prefix / "about/index.html").read_text()
        assert re.search(r'<p class="fallback">[^<]*' + name, text), prefix


def test_contact_languages_and_iso_639_3_codes(project):
    assert language_code("sco") == "sco"
    with pytest.raises(ValueError, match="write fr"):
        language_code("fra")
    project.entry("gb/good-line.yaml", GOOD_ENTRY.replace('hours: "24/7"}', 'hours: "24/7", languages: [es]}'))
    build(project.root, project.root / "output", TODAY)
    assert '<span class="contact-languages">In: Spanish</span>' in (project.root / "output/entries/good-line/index.html").read_text()


def test_the_interface_strings_are_found_in_templates_without_walking_content_or_output(project, monkeypatch):
    """Only templates/ is read for interface strings: a 10,000-entry project's content/ and
    output/ hold tens of thousands of files, which a build in several languages walked."""
    import os
    project.entry("gb/good-line.yaml")
    project.write("output/entries/x/index.html", "<p>{{ _('Built, not a template') }}</p>")
    walked, walk = [], os.walk

    def spy(top, *args, **kwargs):
        for step in walk(top, *args, **kwargs):
            walked.append(Path(step[0]))
            yield step

    monkeypatch.setattr(os, "walk", spy)
    extracted.cache_clear()
    found = {message for message, _file, _line in extracted(project.root)}
    assert "Exit this page" in found and "Built, not a template" not in found
    templates = (project.root / "templates").resolve()
    outside = [p for p in walked if p != project.root.resolve() and templates not in [p, *p.parents]]
    assert outside == []
    extracted.cache_clear()

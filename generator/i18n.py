"""Languages: the site's languages, their message catalogues, and formatting for a page's locale.

Catalogues are gettext `.po` files under locales/<lang>/LC_MESSAGES/messages.po, read at build
time (no compiled .mo is committed). The interface strings are extracted from the templates and
from this module by Babel (babel.cfg; `make messages` updates every catalogue). A catalogue that
lacks a string fails the build, naming the string and where it is used.

Dates, day names and times are formatted by Babel (CLDR) for the page's locale, never by
strftime, whose output depends on the machine's locale.
"""
from __future__ import annotations

import datetime as dt
import json
from io import BytesIO
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton, get_day_names
from babel.lists import format_list
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from generator.errors import SignpostError

CATALOGUE = "locales/{code}/LC_MESSAGES/messages.po"
# Marks, in a catalogue's translator comments, a string a native speaker has still to review.
NEEDS_REVIEW = "needs-review"


def N_(message: str) -> str:
    """Marks a string for extraction that is translated later, where it is shown."""
    return message


# The model's words, translated where they are drawn (contact actions come from schema.CONTACT_KINDS).
MODEL_STRINGS = (N_("Call"), N_("Text"), N_("WhatsApp"), N_("Email"), N_("Chat online"), N_("Website"),
                 N_("App"), N_("In person"), N_("Kinds of service"), N_("Topics"), N_("Who it is for"),
                 N_("Countries"), N_("Languages"), N_("International"), N_("Free"), N_("Low cost"), N_("Paid"),
                 N_("Kind of service"), N_("Topic"), N_("Country"), N_("Language"), N_("active"), N_("temporarily closed"), N_("closed"))


@dataclass(frozen=True)
class Language:
    """One language of the site: the default one at the root, every other under /<code>/."""

    code: str
    name: str        # in itself: "Français", "العربية"
    dir: str         # "ltr" or "rtl"
    prefix: str      # "" for the default language, "/fr" for French
    needs_review: bool = False  # its catalogue still has crisis wording marked for review


class CatalogueProblem(SignpostError):
    pass


def site_languages(config, root: Path | None = None) -> list[Language]:
    """The languages of site.yaml, the default first; `root` to read which need review."""
    codes = [config.language] + [code for code in config.languages if code != config.language]
    return [language(code, "" if code == config.language else f"/{code}",
                     root is not None and code != "en" and catalogue_needs_review(root, code)) for code in codes]


@lru_cache(maxsize=None)
def language(code: str, prefix: str = "", needs_review: bool = False) -> Language:
    locale = Locale.parse(code)
    name = locale.get_display_name(locale) or code
    return Language(code, name[:1].upper() + name[1:], "rtl" if locale.character_order == "right-to-left" else "ltr",
                    prefix, needs_review)


def catalogue_path(root: Path, code: str) -> Path:
    return root / CATALOGUE.format(code=code)


def read_catalogue(root: Path, code: str):
    path = catalogue_path(root, code)
    try:
        with path.open("rb") as f:
            return read_po(f, locale=code)
    except OSError as exc:
        raise CatalogueProblem(f"{path.relative_to(root)}: cannot read the catalogue of '{code}' ({exc.strerror}); "
                               f"create it with `make messages`") from None


def translations(root: Path, code: str, default: str) -> Translations:
    """The gettext translations of `code` (plural forms from CLDR, through the catalogue's
    header); the default language without a catalogue shows the msgids, which are English."""
    if code == default and not catalogue_path(root, code).exists():
        return Translations()
    catalog = read_catalogue(root, code)
    check_complete(root, code, catalog)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


@lru_cache(maxsize=4)
def extracted(root: Path) -> tuple[tuple[str | tuple, str, int], ...]:
    """Every interface string: (msgid, file, line), from the templates and the model's words."""
    found = []
    # Only templates/ is walked: the project's content/ and output/ hold tens of thousands of files
    # at 10,000 entries, and walking them cost seconds of every build in more than one language.
    templates = root.resolve() / "templates"
    for filename, lineno, message, _comments, _context in extract_from_dir(
            root, method_map=METHODS, options_map=OPTIONS, keywords=KEYWORDS,
            directory_filter=lambda path: Path(path) == templates or templates in Path(path).parents):
        found.append((message, filename, lineno))
    here = Path(__file__)
    with here.open("rb") as f:
        from babel.messages.extract import extract_python
        for lineno, _func, message, _comments in extract_python(f, ("N_", "_", "gettext", "ngettext"), [], {}):
            found.append((message, f"generator/{here.name}", lineno))
    # gettext(m), t(text): calls with no literal to extract
    return tuple(f for f in found if f[0] and (isinstance(f[0], str) or f[0][0]))


METHODS = [("templates/**.html", "jinja2"), ("templates/**.xml", "jinja2"), ("templates/static/**.js", "javascript")]
# The scripts' words are t("..."), as site.js names its lookup in the page's strings JSON, and
# tn("one", "other", count) for a count.
KEYWORDS = {**DEFAULT_KEYWORDS, "t": None, "tn": (1, 2)}
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"},
           "templates/**.xml": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}


def script_strings(root: Path, code: str, gettext: Translations, scripts: tuple[str, ...]) -> bytes:
    """The words of `scripts` (file names under templates/static/) in language `code`, for
    strings.js to fetch: {English: translated}, and for a plural message (`tn()`), {English
    singular: {CLDR category: form}}, the category being what the browser's Intl.PluralRules
    gives a count (one, two, few, many...)."""
    found = {message for message, filename, _line in extracted(root) if Path(filename).name in scripts}
    words = {m: gettext.gettext(m) for m in found if isinstance(m, str)}
    category = Locale.parse(code).plural_form
    for one, other in (m for m in found if not isinstance(m, str)):
        # Each category's form, as the catalogue's Plural-Forms gives it for a number of that category.
        words[one] = {category(n): gettext.ngettext(one, other, n) for n in PLURAL_SAMPLES}
    return (json.dumps(dict(sorted(words.items())), ensure_ascii=False, separators=(",", ":")) + "\n").encode()


# Counts that meet every CLDR category integers have (Arabic's "many" is 11-99, French's 1,000,000).
PLURAL_SAMPLES = (*range(200), 1_000_000)


def missing_strings(root: Path, catalog) -> list[str]:
    """The interface strings `catalog` has no translation of, as 'file:line: "msgid"'."""
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and has_text(m.string)}
    problems = []
    for message, filename, lineno in extracted(root):
        key = message if isinstance(message, str) else message[0]
        if key and key not in have:
            problems.append(f'{filename}:{lineno}: "{key}"')
    return sorted(set(problems))


def has_text(string) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def check_complete(root: Path, code: str, catalog) -> None:
    missing = missing_strings(root, catalog)
    if missing:
        rel = CATALOGUE.format(code=code)
        shown = "\n  ".join(missing[:20]) + (f"\n  ... and {len(missing) - 20} more" if len(missing) > 20 else "")
        count = len({line.split(": ", 1)[1] for line in missing})  # one string may be used in several places
        raise CatalogueProblem(f"{rel} lacks {count} interface string(s), used at:\n  {shown}\n"
                               f"Run `make messages`, then translate the new entries in {rel}.")


def catalogue_needs_review(root: Path, code: str) -> bool:
    return any(NEEDS_REVIEW in " ".join(m.auto_comments + m.user_comments) or "fuzzy" in m.flags
               for m in read_catalogue(root, code) if m.id)


# The CLDR locale a language's dates are written in, where it is not the language's own default:
# English dates as the sample's editors write them (25 December 2026, not December 25, 2026).
DATE_LOCALES = {"en": "en_GB"}


class Formats:
    """Dates, days and times for one locale, and the hours of a contact in words."""

    def __init__(self, code: str, gettext):
        self.code, self.locale, self._ = code, Locale.parse(DATE_LOCALES.get(code, code)), gettext
        self.days = get_day_names("abbreviated", locale=self.locale)
        # Each date, month and time of day worded once: Babel takes 15-30 µs a call, an entry
        # page asks for three to eight, and a directory has a few hundred distinct values.
        self.date, self.month, self.clock = (cache(self.date), cache(self.month), cache(self.clock))

    def label(self, config, key: str, taxonomy: str) -> str:
        """A vocabulary value's label (`taxonomy`: kinds, topics, audiences, countries or
        languages): site.yaml's translation, CLDR's name of a country or language, else the
        English label."""
        if taxonomy == "countries":
            return self._("International") if key == "international" else (self.locale.territories.get(key.upper()) or key)
        if taxonomy == "languages":
            return self.locale.languages.get(key) or key
        own = config.translations.get(self.code, {}).get(taxonomy, {}).get(key)
        return own or getattr(config, taxonomy).get(key, key)

    def places(self, config, codes: list[str]) -> str:
        """Countries as a list in words: "United Kingdom and Ireland", "Royaume-Uni et Irlande"."""
        return format_list([self.label(config, code, "countries") for code in codes], locale=self.locale)

    def date(self, day: dt.date) -> str:
        return format_date(day, "long", locale=self.locale)

    def month(self, day: dt.date) -> str:
        return format_skeleton("yMMMM", day, locale=self.locale)

    def clock(self, minutes: int) -> str:
        if minutes == 1440:  # midnight at the end of the day
            return "24:00"
        return format_skeleton("Hm", dt.time((minutes // 60) % 24, minutes % 60), locale=self.locale)

    def hours(self, opening) -> str | None:
        _ = self._
        if opening is None:
            return None
        if opening.always:
            return _("24 hours a day, every day")
        return "; ".join(f"{self.span_days(span)} {self.clock(span.opens)}–{self.clock(span.closes)}"
                         for span in opening.spans)

    def span_days(self, span) -> str:
        """The days as the editor grouped them: mon-fri,sun → "Mon–Fri, Sun"; all seven → "Every day"."""
        if len(span.days) == 7:
            return self._("Every day")
        return ", ".join(self.days[a] + (f"–{self.days[b]}" if b != a else "") for a, b in span.ranges)

    def dates(self, contact) -> list[str]:
        """Closures and extra openings from the build's day on, in words."""
        _ = self._
        lines = []
        for first, last, label in contact.closures:
            when = self.date(first) if first == last else _("%(first)s to %(last)s") % {
                "first": self.date(first), "last": self.date(last)}
            lines.append(_("Closed %(when)s") % {"when": when} + (f" ({label})" if label else ""))
        for day, opens, closes, label in contact.extras:
            lines.append(_("Open %(day)s, %(opens)s–%(closes)s") % {
                "day": self.date(day), "opens": self.clock(opens), "closes": self.clock(closes)}
                + (f" ({label})" if label else ""))
        return lines

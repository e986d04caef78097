"""The search index step: which files it adds, that they agree with each other, and that builds
with it stay deterministic; `--no-search` leaves it out."""
from __future__ import annotations

import itertools
import json
import os

import pytest
from click.testing import CliRunner

from generator.build import build, check
from generator.cli import cli
from generator.search import chunk_key, code_char, gaps, split_chunks, stem, tokens, utf16_order
from tests.conftest import GOOD_ENTRY, TODAY


def read_tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sample_output(tmp_path_factory, sample_root):
    out = tmp_path_factory.mktemp("search") / "output"
    build(sample_root, out, on=TODAY)
    return out


def test_build_adds_our_search_files_and_no_pagefind_bundle(sample_output):
    files = read_tree(sample_output)
    for needed in ("search/facets.json", "search/entries.txt", "search/names.txt", "search/words.txt",
                   "search/cards/0.json", "search/index/sa.txt", "search/index.html"):
        assert needed in files
    assert not [path for path in files if path.startswith("pagefind/")]


def test_facet_files_list_values_with_totals_and_one_line_per_entry(sample_output):
    header = json.loads((sample_output / "search/facets.json").read_text(encoding="utf-8"))
    assert [facet for facet, _ in header["facets"]] == ["kind", "topic", "audience", "country", "language", "cost"]
    countries = dict((key, total) for key, _, total in header["facets"][3][1])
    assert countries["zw"] == 1 and countries["gb"] > 1
    assert header["entries"] == 36
    rows = (sample_output / "search/entries.txt").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 36 and all(rows)
    # Zimbabwe's code appears on exactly one line: the Friendship Bench's.
    values = [(facet, key) for facet, pairs in header["facets"] for key, _, _ in pairs]
    zw = code_char(values.index(("country", "zw")))
    assert [n for n, row in enumerate(rows) if zw in row] == [cards(sample_output).index("Friendship Bench")]


def cards(output) -> list[str]:
    """Entry names in card order (entry number order)."""
    names = []
    for n in range(len(list((output / "search/cards").iterdir()))):
        names += [card[1] for card in json.loads((output / f"search/cards/{n}.json").read_text(encoding="utf-8"))]
    return names


def all_cards(output) -> list[list]:
    found = []
    for n in range(len(list((output / "search/cards").iterdir()))):
        found += json.loads((output / f"search/cards/{n}.json").read_text(encoding="utf-8"))
    return found


def test_cards_say_where_whether_crisis_hours_and_the_most_direct_contact(sample_output):
    by_name = {card[1]: card for card in all_cards(sample_output)}
    assert len(by_name) == 36 and list(by_name) == sorted(by_name, key=str.casefold)
    url, name, kind, summary, where, crisis, hours, action, contact, href, schedule, zone, keyword, name_lang, text_lang = \
        by_name["Samaritans"]
    assert (url, kind, where, crisis, hours) == ("/entries/samaritans/", "Helplines", "United Kingdom, Ireland", 1, "24/7")
    assert (action, contact, href) == ("Call", "116 123", "tel:116123")
    # The Friendship Bench lists a clinic first and WhatsApp second: WhatsApp is the direct one.
    bench = by_name["Friendship Bench"]
    assert bench[4:6] == ["Zimbabwe", 0] and bench[7] == "WhatsApp" and bench[9].startswith("https://wa.me/263")
    assert by_name["7 Cups"][4] == "International"
    assert by_name["Shout 85258"][7:10] == ["Text", "85258", "sms:85258?body=SHOUT"] and by_name["Shout 85258"][12] == "SHOUT"
    assert all(len(card) == 15 for card in by_name.values()) and (name_lang, text_lang) == ("", "")


def test_each_language_has_its_own_cards_facets_and_country_names_over_one_shared_index(sample_output):
    """/fr/search/ shows French labels, the entry's own French words where it has them (and says
    which text is in English where not); the index, names and facet codes are shared."""
    fr = {card[0]: card for card in all_cards(sample_output / "fr")}
    samaritans, sos = fr["/entries/samaritans/"], fr["/entries/sos-amitie/"]
    assert samaritans[2] == "Lignes d’écoute" and samaritans[4] == "Royaume-Uni, Irlande" and samaritans[7] == "Appeler"
    assert samaritans[14] == "en"  # no French summary: shown in English, and marked so
    assert sos[3].startswith("Une écoute anonyme") and sos[14] == ""
    header = json.loads((sample_output / "fr/search/facets.json").read_text(encoding="utf-8"))
    english = json.loads((sample_output / "search/facets.json").read_text(encoding="utf-8"))
    labels = {(facet, key): label for facet, rows in header["facets"] for key, label, _ in rows}
    assert labels["topic", "grief"] == "Deuil" and labels["country", "gb"] == "Royaume-Uni" and labels["cost", "free"] == "Gratuit"
    assert [[k for k, _, _ in rows] for _, rows in header["facets"]] == [[k for k, _, _ in rows] for _, rows in english["facets"]]
    assert json.loads((sample_output / "ar/search/countries/gb.json").read_text(encoding="utf-8"))["name"] == "المملكة المتحدة"
    assert not (sample_output / "fr/search/index").exists() and not (sample_output / "fr/search/entries.txt").exists()


def test_labels_are_indexed_in_every_language_of_the_site_each_with_its_own_stemmer(sample_output):
    assert fields_of(sample_output, stem("deuil", "en"))["Pieta"] == 2  # grief's French label
    assert fields_of(sample_output, f"{stem('الحزن', 'ar')}~ar")["Pieta"] == 2  # its Arabic label, in Arabic stems
    # "Kinder", children's German label, in German stems: keyed apart from the English ones.
    assert (stem("kinder", "de"), stem("kinder", "en")) == ("kind", "kinder")
    assert fields_of(sample_output, "kind~de")["Kids Help Phone"] == 2 and "Kids Help Phone" not in fields_of(sample_output, "kind")
    # An entry's summary in another language is indexed too, stemmed in that language.
    assert "Tele-MANAS" in fields_of(sample_output, stem("राष्ट्रीय", "en"))


def lines(output, word) -> dict[str, list[list[int]]]:
    """The index lines of the chunk `word` falls in: key → entry numbers per field."""
    found = {}
    for line in (output / f"search/index/{chunk_key(word)}.txt").read_text(encoding="utf-8").splitlines():
        key, *lists = line.split(" ")
        found[key] = [list(itertools.accumulate(int(gap, 36) for gap in text.split(","))) if text else [] for text in lists]
    return found


def fields_of(output, key) -> dict[str, int]:
    """Entry name → the field (0 name, 1 summary, 2 vocabulary, 3 body) an index key is in."""
    names = cards(output)
    return {names[n]: field for field, numbers in enumerate(lines(output, key).get(key, [])) for n in numbers}


def test_every_part_of_an_entry_is_indexed_in_its_best_field(sample_output):
    assert fields_of(sample_output, "samaritan")["Samaritans"] == 0  # name, stemmed
    assert fields_of(sample_output, "judg")["Samaritans"] == 1  # "without judging", stemmed
    grief = fields_of(sample_output, "bereav")
    assert grief["Pieta"] == 1  # "bereaved" in its summary
    assert fields_of(sample_output, "widow")["Pieta"] == 2  # a synonym of its topic, grief
    assert fields_of(sample_output, "zimbabw")["Friendship Bench"] == 1  # summary before country name
    assert fields_of(sample_output, "clinic")["Friendship Bench"] == 1  # also in its address (a contact)
    assert fields_of(sample_output, "chibanda")["Friendship Bench"] == 3  # the Markdown body
    assert fields_of(sample_output, "18008914416")["Tele-MANAS"] == 2  # a second number, as one run of digits
    assert fields_of(sample_output, "shout")["Shout 85258"] == 0
    assert fields_of(sample_output, "london")["Samaritans"] == 2  # a place people type for GB
    assert fields_of(sample_output, "deutschland")["TelefonSeelsorge"] == 2  # the country in its own language
    assert fields_of(sample_output, "espanol")["Línea 024"] == 2  # the language in its own name, accent folded
    assert "Samaritans" not in fields_of(sample_output, "deutschland")


def test_devanagari_keeps_its_vowel_signs_and_latin_loses_its_accents():
    assert tokens("SOS Amitié, 116 123 · a Zürich-line") == ["sos", "amitie", "116", "123", "zurich", "line"]
    assert tokens("हिंदी हिन्दी मदद") == ["हिंदी", "हिन्दी", "मदद"]
    assert chunk_key("amitie") == "am" and chunk_key("φως") == "_3c6_3c9" and chunk_key("support", 3) == "sup"


def test_stems_of_other_languages_are_keyed_apart(sample_output):
    # Spanish turns "suicidio" into "suicidi"; an English word is stemmed the English way only.
    assert "suicidi~es" in lines(sample_output, "suicidi")
    assert stem("suicidal", "en") == stem("suicide", "en") == "suicid"
    assert stem("116", "en") == "116"
    assert "Línea 024" in fields_of(sample_output, "suicidi~es")
    assert "Samaritans" not in fields_of(sample_output, "suicidi~es")  # English only


def test_gaps_are_base36_differences():
    assert gaps([3, 4, 40]) == "3,1,10"
    assert gaps([]) == ""


def test_words_file_lists_every_indexed_word_for_typo_correction(sample_output):
    words = (sample_output / "search/words.txt").read_text(encoding="utf-8").split()
    assert {"samaritans", "friendship", "bench", "amitie", "grandmothers", "हिंदी"} <= set(words)
    assert words == sorted(words) and not [w for w in words if w.isdigit()]


def test_stopwords_stay_out_of_the_index_and_are_listed_for_the_browser(sample_output):
    header = json.loads((sample_output / "search/facets.json").read_text(encoding="utf-8"))
    assert {"and", "for", "the", "with"} <= set(header["stopwords"])
    assert "for" not in lines(sample_output, "for")
    assert not {"and", "for", "the", "with"} & set((sample_output / "search/words.txt").read_text(encoding="utf-8").split())


def test_names_file_holds_name_length_crisis_and_international(sample_output):
    flags = [ord(ch) - 0x21 for ch in (sample_output / "search/names.txt").read_text(encoding="utf-8")]
    names = cards(sample_output)
    assert flags[names.index("Side by Side (Mind)")] == 3  # side, side, mind; not a crisis line
    assert flags[names.index("Samaritans")] == 1 + 16
    assert flags[names.index("7 Cups")] == 1 + 32  # "7" is one character: not a word


def test_country_files_hold_emergency_numbers_crisis_lines_and_who_serves(sample_output):
    names = cards(sample_output)
    gb = json.loads((sample_output / "search/countries/gb.json").read_text(encoding="utf-8"))
    # Each number as shown and as dialled (phones.py's rule); the country's own lines, then the
    # international ones.
    assert gb["name"] == "United Kingdom" and gb["emergency"] == [["999", "999"], ["112", "112"]]
    assert {names[n] for n in gb["crisis"][:3]} == {"Samaritans", "Shout 85258", "PAPYRUS HOPELINE247"}
    assert {names[n] for n in gb["crisis"][3:]} == {"Befrienders Worldwide", "Find A Helpline"}
    served = list(itertools.accumulate(int(gap, 36) for gap in gb["serves"].split(",")))
    assert {names[n] for n in served} == {"Samaritans", "Shout 85258", "PAPYRUS HOPELINE247", "Mind Infoline",
                                          "Side by Side (Mind)"}
    header = json.loads((sample_output / "search/facets.json").read_text(encoding="utf-8"))
    assert header["country"] == "gb" and "gb" in header["countries"] and header["stem"][0] == "en"
    assert ["kill", "myself"] in header["crisis"] and ["आत्महत्या"] in header["crisis"]


def test_a_large_chunk_is_cut_into_numbered_parts_of_consecutive_stems():
    rows = {"su": ["su 1\n"] + [f"su{'p' if n % 2 else 'i'}{n:05d} 1\n" for n in range(12000)], "an": ["anx 1\n"]}
    rows["su"].sort(key=utf16_order)
    chunks, split = split_chunks(rows)
    assert chunks["an"] == "anx 1\n" and "an" not in split
    parts = [chunks[f"su-{n}"] for n in range(1, len(split["su"]) + 2)]
    assert len(parts) > 2 and set(chunks) == {"an", *(f"su-{n}" for n in range(1, len(parts) + 1))}
    assert all(len(text.encode()) <= 48 * 1024 for text in parts)
    # The parts, in order, are the rows in order; each bound is its part's first stem.
    assert "".join(parts).splitlines(True) == rows["su"]
    assert split["su"] == [part.split(" ", 1)[0] for part in parts[1:]]


def test_stems_are_in_javascripts_order_past_the_basic_plane():
    # U+1D400 (astral) sorts after U+FFFD in code points, before it in UTF-16 code units.
    assert sorted(["a\ufffd", "a\U0001d400"], key=utf16_order) == ["a\U0001d400", "a\ufffd"]


def test_synonym_keys_must_be_known(project):
    text = (project.root / "site.yaml").read_text(encoding="utf-8")
    project.write("site.yaml", text + "search:\n  synonyms:\n    anxeity: [worried]\n    GB: [london]\n")
    messages = [d.message for d in check(project.root, on=TODAY)[1] if d.path == "site.yaml"]
    assert len(messages) == 1 and "'anxeity' is not a topic" in messages[0] and "did you mean 'anxiety'" in messages[0]


def test_two_builds_are_byte_identical(sample_root, sample_output, tmp_path):
    build(sample_root, tmp_path / "again", on=TODAY)
    assert read_tree(tmp_path / "again") == read_tree(sample_output)


def test_no_search_builds_pages_only(project, tmp_path):
    project.entry("gb/good-line.yaml", GOOD_ENTRY)
    build(project.root, tmp_path / "out", on=TODAY, search=False)
    files = read_tree(tmp_path / "out")
    assert "search/index.html" in files
    assert not [path for path in files if path.startswith("search/") and path != "search/index.html"]
    assert "search/entries.txt" not in files


def test_cli_no_search_flag_is_wired(project, tmp_path):
    project.entry("gb/good-line.yaml", GOOD_ENTRY)
    result = CliRunner().invoke(cli, ["build", str(project.root), "--out", str(tmp_path / "out"), "--no-search"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "search" / "facets.json").exists()
    result = CliRunner().invoke(cli, ["build", str(project.root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "search" / "facets.json").exists()


def test_indexing_writes_nothing_into_the_current_folder(project, tmp_path, monkeypatch):
    project.entry("gb/good-line.yaml", GOOD_ENTRY)
    monkeypatch.chdir(tmp_path)
    build(project.root, tmp_path / "out", on=TODAY)
    assert sorted(os.listdir(tmp_path)) == ["out", "site"]


def test_value_codes_are_single_printable_characters_without_space_or_newline():
    chars = [code_char(n) for n in range(400)]
    assert len(set(chars)) == 400
    assert all(c.isprintable() and not c.isspace() for c in chars)

"""Validate: one failing fixture per rule, asserting the file, the line and the helpful part."""
import pytest

from generator.build import check
from tests.conftest import GOOD_ENTRY, TODAY


def problems(project, text, rel="gb/entry.yaml"):
    project.entry(rel, text)
    _, diagnostics = check(project.root, TODAY)
    return diagnostics


def only(project, text, rel="gb/entry.yaml"):
    found = problems(project, text, rel)
    assert len(found) == 1, found
    return found[0]


def replace(old, new, text=GOOD_ENTRY):
    assert old in text
    return text.replace(old, new)


def test_good_entry_has_no_problems(project):
    assert problems(project, GOOD_ENTRY) == []


def test_every_problem_is_reported_not_just_the_first(project):
    text = replace("kind: helpline", "kind: hotline", replace("[anxiety]", "[anxeity]", replace("[GB]", "[UK]")))
    assert {d.line for d in problems(project, text)} == {2, 4, 6}


def test_missing_required_field_points_at_its_mapping(project):
    d = only(project, replace("summary: A test line.\n", ""))
    assert (d.path, d.line, d.code) == ("content/entries/gb/entry.yaml", 1, "missing-field")
    assert "'summary' is missing" in d.message


def test_missing_field_in_markdown_points_into_the_front_matter_not_at_its_opening_line(project):
    fields = replace("summary: A test line.\n", "")
    d = only(project, "---\n" + fields + "---\nBody.\n", rel="gb/entry.md")
    assert (d.path, d.line, d.col, d.code) == ("content/entries/gb/entry.md", 2, 1, "missing-field")


def test_unknown_field_suggests_the_close_one(project):
    d = only(project, GOOD_ENTRY + "sumary: typo\n")
    assert (d.line, d.col, d.code) == (12, 1, "unknown-field")
    assert "did you mean 'summary'?" in d.message


def test_unknown_field_inside_a_contact(project):
    d = only(project, replace('hours: "24/7"}', 'hours: "24/7", lable: x}'))
    assert (d.line, d.code) == (8, "unknown-field") and "did you mean 'label'?" in d.message


def test_kind_must_be_one_of_the_enum(project):
    d = only(project, replace("kind: helpline", "kind: helpine"))
    assert d.line == 2 and "did you mean 'helpline'?" in d.message


def test_topic_from_vocabulary_with_suggestion(project):
    d = only(project, replace("[anxiety]", "[anxeity]"))
    assert (d.line, d.col, d.code) == (6, 10, "vocabulary")
    assert "did you mean 'anxiety'?" in d.message


def test_audience_from_vocabulary(project):
    d = only(project, GOOD_ENTRY + "audiences: [young-person]\n")
    assert d.line == 12 and "did you mean 'young-people'?" in d.message


def test_uk_gets_a_hint_to_write_gb(project):
    d = only(project, replace("[GB]", "[UK]"))
    assert d.line == 4 and "write GB" in d.message


def test_unknown_country_code(project):
    assert "ISO 3166" in only(project, replace("[GB]", "[XX]")).message


def test_norway_written_bare_becomes_false_and_gets_a_hint(project):
    assert "in quotes" in only(project, replace("[GB]", "[GB, NO]")).message


def test_language_must_be_iso_639_1(project):
    d = only(project, replace("[en]", "[eng]"))
    assert d.line == 5 and "ISO 639-1" in d.message


def test_invalid_phone_number(project):
    d = only(project, replace('"0800 068 4141"', '"0800 12"'))
    assert (d.line, d.code) == (8, "phone") and "not a valid phone number in GB" in d.message


@pytest.mark.parametrize("country, number", [("GB", "116 123"), ("US", "988"), ("NL", "113"), ("ES", "024"),
                                             ("US", "1-866-488-7386"), ("AU", "13 11 14")])
def test_short_codes_and_local_formats_are_valid(project, country, number):
    text = replace("[GB]", f"[{country}]", replace('"0800 068 4141"', f'"{number}"'))
    assert problems(project, text, f"{country.lower()}/entry.yaml") == []


def test_unquoted_number_is_asked_to_be_quoted(project):
    d = only(project, replace('"0800 068 4141"', "988"))
    assert 'like "988"' in d.message


def test_multi_country_entry_needs_a_contact_country(project):
    d = only(project, replace("[GB]", "[GB, IE]"))
    assert (d.line, d.code) == (8, "contact-country") and "needs `country:`" in d.message


def test_javascript_url_is_an_error(project):
    d = only(project, replace("https://good.example.org/\n", "javascript:alert(1)\n"))
    assert d.line == 9 and "not an https URL" in d.message


def test_http_source_is_an_error(project):
    d = only(project, replace("[https://good.example.org/about]", "[http://good.example.org/about]"))
    assert d.line == 10 and "https" in d.message


def test_bad_time_zone(project):
    d = only(project, GOOD_ENTRY + "timezone: Europe/Londn\n")
    assert d.line == 12 and "IANA time zone" in d.message


def test_hours_need_a_time_zone(project):
    d = only(project, replace('hours: "24/7"', 'hours: [{days: mon-fri, open: "09:00", close: "17:00"}]'))
    assert (d.line, d.code) == (8, "timezone-required")


@pytest.mark.parametrize("hours, fragment", [('[{days: mon-fry, open: "09:00", close: "17:00"}]', "day range"),
                                              ('[{days: mon-fri, open: "9am", close: "17:00"}]', "HH:MM"),
                                              ('"always"', "24/7")])
def test_hours_format(project, hours, fragment):
    text = replace('hours: "24/7"', f"hours: {hours}") + "timezone: Europe/London\n"
    assert fragment in " ".join(d.message for d in problems(project, text))


def test_hours_past_midnight_and_split_shifts_are_valid(project):
    hours = '[{days: mon-fri, open: "09:00", close: "12:00"}, {days: "mon-fri,sun", open: "22:00", close: "02:00"}]'
    assert problems(project, replace('hours: "24/7"', f"hours: {hours}") + "timezone: Europe/London\n") == []


def test_invalid_date(project):
    d = only(project, replace("2026-10-01", "2026-13-01"))
    assert d.line == 11 and "YYYY-MM-DD" in d.message


def test_date_in_the_future(project):
    assert only(project, replace("2026-10-01", "2027-01-01")).code == "date-in-future"


def test_stale_entry_is_a_warning(project):
    d = only(project, replace("2026-10-01", "2025-01-01"))
    assert (d.severity, d.code, d.line) == ("warning", "stale", 11)


def test_summary_longer_than_200_characters(project):
    d = only(project, replace("A test line.", "x" * 201))
    assert d.line == 3 and "200" in d.message


def test_contacts_required_unless_initiative(project):
    no_contacts = replace('contacts:\n  - {type: phone, value: "0800 068 4141", hours: "24/7"}\n', "")
    assert only(project, no_contacts).code == "no-contacts"
    assert problems(project, replace("kind: helpline", "kind: initiative", no_contacts)) == []


def test_contact_needs_its_target(project):
    d = only(project, replace('{type: phone, value: "0800 068 4141", hours: "24/7"}', "{type: chat}"))
    assert d.line == 8 and "needs `url`" in d.message


def test_duplicate_slug_names_both_files(project):
    project.entry("gb/entry.yaml")
    other = replace("[GB]", "[IE]", replace("good.", "other.", replace('"0800 068 4141"', '"116 123"')))
    d = only(project, other, rel="ie/entry.yaml")
    assert d.code == "duplicate-slug"
    assert "content/entries/gb/entry.yaml" in d.message and d.path == "content/entries/ie/entry.yaml"


def test_same_number_on_two_entries_is_a_warning_naming_both(project):
    project.entry("gb/first.yaml")
    found = problems(project, replace("https://good.example.org/", "https://second.example.org/"), "gb/second.yaml")
    assert [(d.severity, d.code, d.line) for d in found] == [("warning", "duplicate", 8)]
    assert "content/entries/gb/first.yaml" in found[0].message


def test_same_website_on_two_entries_is_a_warning(project):
    project.entry("gb/first.yaml")
    text = replace('"0800 068 4141"', '"116 123"')
    found = problems(project, text, "gb/second.yaml")
    assert [(d.code, d.line) for d in found] == [("duplicate", 9)] and "website" in found[0].message


def test_same_short_code_in_two_countries_is_not_a_duplicate(project):
    project.entry("us/a.yaml", replace("[GB]", "[US]", replace('"0800 068 4141"', '"988"')))
    other = replace("[GB]", "[CA]", replace('"0800 068 4141"', '"988"', replace("good.", "other.")))
    assert problems(project, other, "ca/b.yaml") == []


def test_site_yaml_errors_point_into_site_yaml(project):
    project.write("site.yaml", (project.root / "site.yaml").read_text().replace("base_url: https", "base_url: http"))
    _, found = check(project.root, TODAY)
    assert [(d.path, d.line) for d in found] == [("site.yaml", 2)]


def test_empty_required_list_says_to_give_one(project):
    d = only(project, replace("[https://good.example.org/about]", "[]"))
    assert d.line == 10 and "the list is empty; give at least one" in d.message


def test_unreadable_entries_are_reported_beside_a_broken_site_yaml(project):
    project.write("site.yaml", "title: [\n")
    project.entry("gb/broken.yaml", "name: [\n")
    valid, diagnostics = check(project.root, TODAY)
    assert valid is None
    assert {d.path for d in diagnostics} == {"site.yaml", "content/entries/gb/broken.yaml"}


def test_unreadable_entries_are_reported_beside_a_site_yaml_that_fails_its_checks(project):
    """site.yaml reads as YAML but is not valid: entries cannot be checked, yet a file that
    cannot be read at all is still reported."""
    project.write("site.yaml", "title: [not, a, title]\n")
    project.entry("gb/broken.yaml", "name: [\n")
    valid, diagnostics = check(project.root, TODAY)
    assert valid is None
    assert "content/entries/gb/broken.yaml" in {d.path for d in diagnostics}
    assert "site.yaml" in {d.path for d in diagnostics}


@pytest.mark.parametrize("folder", ["au", "GB2", "xx", "GB", "intl"])
def test_the_folder_must_be_the_entrys_country(project, folder):
    d = only(project, GOOD_ENTRY, rel=f"{folder}/entry.yaml")
    assert (d.path, d.line, d.code) == (f"content/entries/{folder}/entry.yaml", 4, "wrong-folder")
    assert d.message == (f"the file is in content/entries/{folder}/ but the entry serves GB; "
                         f"move it to content/entries/gb/entry.yaml")


def test_an_entry_for_several_countries_lives_in_the_folder_of_any_of_them(project):
    both = replace("[GB]", "[GB, IE]", replace('hours: "24/7"}', 'hours: "24/7", country: GB}'))
    assert problems(project, both, "ie/entry.yaml") == []
    (project.root / "content/entries/ie/entry.yaml").unlink()
    d = only(project, both, "us/entry.yaml")
    assert d.code == "wrong-folder" and "move it to content/entries/gb/entry.yaml (or ie/)" in d.message


def test_an_international_entry_lives_in_intl(project):
    intl = replace("[GB]", "[international]", replace('hours: "24/7"}', 'hours: "24/7", country: GB}'))
    assert problems(project, intl, "intl/entry.yaml") == []
    (project.root / "content/entries/intl/entry.yaml").unlink()
    d = only(project, intl, "gb/entry.yaml")
    assert "the entry is international; move it to content/entries/intl/entry.yaml" in d.message


@pytest.mark.parametrize("written", ["9:00", "09:00", '"9:00"'])
def test_times_are_read_as_people_write_them(project, written):
    hours = f'[{{days: mon-fri, open: {written}, close: 17:30}}]'
    assert problems(project, replace('hours: "24/7"', f"hours: {hours}") + "timezone: Europe/London\n") == []


@pytest.mark.parametrize("written", ["9", "930", "9.30"])
def test_a_time_written_as_a_number_is_asked_for_as_a_time(project, written):
    hours = f'[{{days: mon-fri, open: {written}, close: "17:00"}}]'
    d = only(project, replace('hours: "24/7"', f"hours: {hours}") + "timezone: Europe/London\n")
    assert d.message == 'contacts.0.hours.0.open: write the time as HH:MM in quotes, like "09:30"'

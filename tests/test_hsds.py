"""HSDS: the sample's publication validates against the official HSDS 3.0 schemas, strictly too,
and the hard cases of ../shared/hsds-3.0/MAPPING.md come out as it says."""
from __future__ import annotations

import json

import pytest

from generator.build import check
from generator.hsds import hsds_files, weekly_rules
from generator.hsds_schema import pointer, schema_files, validator, without_extensions
from generator.model import build_site
from generator.schema import Span
from tests.conftest import GOOD_ENTRY, ROOT, TODAY


@pytest.fixture(scope="module")
def sample():
    valid, _ = check(ROOT, TODAY)
    return {path: json.loads(data) for path, data in dict(hsds_files(build_site(valid))).items()}


def errors(name: str, value, strict: bool = False) -> list[str]:
    checked = without_extensions(value) if strict else value
    return [f"{pointer(e.absolute_path)}: {e.message}" for e in validator(name, strict).iter_errors(checked)]


def test_every_service_file_validates_against_the_official_schema(sample):
    services = {path: value for path, value in sample.items() if path.startswith("data/hsds/services/")}
    assert len(services) == len(list((ROOT / "content/entries").rglob("*.y*ml"))) + len(
        list((ROOT / "content/entries").rglob("*.md")))
    for path, service in services.items():
        assert errors("service.json", service) == [], path
        assert errors("service.json", service, strict=True) == [], path  # no misspelt field either
        assert path == f"data/hsds/services/{service['id']}.json"


def test_the_services_page_and_index_validate(sample):
    page, index = sample["data/hsds/services.json"], sample["data/hsds/index.json"]
    envelope = schema_files()["openapi.json"]["components"]["schemas"]["Page"]
    from jsonschema import Draft202012Validator

    assert list(Draft202012Validator(envelope).iter_errors(page)) == []
    assert page["total_items"] == page["size"] == len(page["contents"]) > 30
    for item in page["contents"]:
        assert errors("service.json", item, strict=True) == []
        assert not any(isinstance(v, (list, dict)) for v in item.values())
    root = schema_files()["openapi.json"]["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert list(Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER).iter_errors(index)) == []
    assert index["version"] == "3.0" and index["profile"].startswith("https://")


def test_taxonomies_validate_and_every_attribute_points_at_one_of_their_terms(sample):
    published = sample["data/hsds/taxonomies.json"]
    for item in published["taxonomies"]:
        assert errors("taxonomy.json", item, strict=True) == []
    for item in published["taxonomy_terms"]:
        assert errors("taxonomy_term.json", item, strict=True) == []
    term_ids = {t["id"] for t in published["taxonomy_terms"]}
    services = [v for p, v in sample.items() if p.startswith("data/hsds/services/")]
    assert {a["taxonomy_term_id"] for s in services for a in s["attributes"]} <= term_ids


def test_a_schema_violation_is_caught():
    bad = {"id": "not-a-uuid", "name": "X", "status": "active", "url": "not a url", "phones": [{"id": 1}]}
    found = errors("service.json", bad)
    assert any(e.startswith("/id:") for e in found) and any(e.startswith("/url:") for e in found)
    assert any(e.startswith("/phones/0") for e in found)
    assert any("nmae" in e for e in errors("service.json", {**bad, "nmae": "typo"}, strict=True))


def built(project, text):
    project.entry("gb/line.yaml", text)
    valid, diagnostics = check(project.root, TODAY)
    assert valid is not None, diagnostics
    site = build_site(valid)
    return site, {p: json.loads(d) for p, d in dict(hsds_files(site)).items()}


def service_of(files):
    return next(v for p, v in files.items() if p.startswith("data/hsds/services/"))


def test_past_midnight_and_split_shifts_become_schedules_within_one_day(project):
    assert weekly_rules((Span((0, 1, 2, 3, 4), 19 * 60, 2 * 60, ((0, 4),)),)) == [
        ((0, 1, 2, 3, 4), 19 * 60, 23 * 60 + 59), ((1, 2, 3, 4, 5), 0, 120)]
    assert weekly_rules((Span((6,), 22 * 60, 0, ((6, 6),)),)) == [((6,), 22 * 60, 23 * 60 + 59)]  # until midnight
    text = GOOD_ENTRY.replace('hours: "24/7"', 'hours: [{days: fri-sun, open: "22:00", close: "02:00"}, '
                              '{days: mon, open: "09:00", close: "12:00"}, {days: mon, open: "15:00", close: "24:00"}]')
    _, files = built(project, text + "timezone: Europe/London\n")
    link = service_of(files)["service_at_locations"][0]
    rules = {(s["byday"], s["opens_at"][:8], s["closes_at"][:8]) for s in link["schedules"]}
    assert rules == {("FR,SA,SU", "22:00:00", "23:59:00"), ("MO,SA,SU", "00:00:00", "02:00:00"),
                     ("MO", "09:00:00", "12:00:00"), ("MO", "15:00:00", "23:59:00")}
    assert link["location"]["url"] == "tel:+448000684141" and link["phones"][0]["number"] == "0800 068 4141"
    assert all(s["x-signpost-timezone"] == "Europe/London" for s in link["schedules"])


def test_hours_are_split_where_daylight_saving_changes_the_offset(project):
    text = GOOD_ENTRY.replace('hours: "24/7"', 'hours: [{days: mon-fri, open: "09:00", close: "17:00"}]')
    site, files = built(project, text + "timezone: Europe/London\n")
    schedules = service_of(files)["service_at_locations"][0]["schedules"]
    offsets = [(s["valid_from"], s["timezone"], s["opens_at"]) for s in schedules]
    # last_verified 2026-10-01, a 12-month horizon: summer time, winter, summer again.
    assert [o[1:] for o in offsets] == [(1, "09:00:00+01:00"), (0, "09:00:00+00:00"), (1, "09:00:00+01:00")]
    assert offsets[0][0] == "2026-10-01" and offsets[1][0] == "2026-10-25" and offsets[2][0] == "2027-03-28"
    assert [s["valid_to"] for s in schedules][:2] == ["2026-10-24", "2027-03-27"]


CLOSURES = ('    closed: [{date: 2026-12-25, label: Christmas Day}, {from: 2027-01-01, to: 2027-01-03}]\n'
            '    open_extra: [{date: 2026-12-24, open: "20:00", close: "02:00", label: Christmas Eve}]\n')


def test_closures_are_notes_and_extra_openings_are_one_off_schedules(project):
    text = GOOD_ENTRY.replace('  - {type: phone, value: "0800 068 4141", hours: "24/7"}\n',
                              '  - type: phone\n    value: "0800 068 4141"\n    hours: [{days: mon-fri, open: "09:00", close: "17:00"}]\n'
                              + CLOSURES)
    _, files = built(project, text + "timezone: Europe/London\n")
    assert not errors("service.json", service_of(files)) and not errors("service.json", service_of(files), strict=True)
    link = service_of(files)["service_at_locations"][0]
    weekly = [s for s in link["schedules"] if s.get("freq") == "WEEKLY"]
    assert weekly and all(s["notes"] == "Closed 25 December 2026 (Christmas Day); Closed 1 January 2027 to "
                          "3 January 2027; Open 24 December 2026, 20:00–02:00 (Christmas Eve)" for s in weekly)
    once = [(s["valid_from"], s["opens_at"], s["closes_at"], s["count"]) for s in link["schedules"] if "freq" not in s]
    assert once == [("2026-12-24", "20:00:00+00:00", "23:59:00+00:00", 1), ("2026-12-25", "00:00:00+00:00", "02:00:00+00:00", 1)]
    assert link["x-signpost-closed"] == [{"date": "2026-12-25", "label": "Christmas Day"}, {"from": "2027-01-01", "to": "2027-01-03"}]
    assert link["x-signpost-open-extra"] == [{"date": "2026-12-24", "open": "20:00", "close": "02:00", "label": "Christmas Eve"}]


def test_sms_keywords_short_codes_and_ids_that_stay_the_same(project):
    text = GOOD_ENTRY.replace("contacts:\n", 'contacts:\n  - {type: sms, value: "85258", keyword: SHOUT}\n')
    _, files = built(project, text)
    _, again = built(project, text)
    service = service_of(files)
    sms = next(p for p in service["phones"] if p["type"] == "text")
    assert sms["description"] == "Text SHOUT to 85258" and sms["x-signpost-keyword"] == "SHOUT"
    assert "x-signpost-e164" not in sms  # a short code has no form that works from abroad
    assert files == again and service["assured_date"] == "2026-10-01"
    assert service["x-signpost-sources"] == ["https://good.example.org/about"]
    assert {a["taxonomy_term"]["code"] for a in service["attributes"]} == {"helpline", "anxiety", "everyone"}
    assert [(a["name"], a.get("extent")) for a in service["service_areas"]] == [("United Kingdom", "GB")]


def test_ids_are_uuid5_of_the_part_names_in_the_site_namespace(project):
    import uuid

    from generator.hsds import make_id

    site, files = built(project, GOOD_ENTRY)
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, site.config.base_url)
    for name in ["service/line", "phone/line/0", "attribute/line/topics/anxiety"]:
        assert make_id(site, name) == str(uuid.uuid5(namespace, name))
    assert service_of(files)["id"] == str(uuid.uuid5(namespace, "service/line"))

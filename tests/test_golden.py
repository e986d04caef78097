"""Golden output: a fresh build of tests/sites/tiny must equal tests/golden/tiny byte for byte,
and tests/sites/invalid must fail with exactly the diagnostics in its expected.txt.

After an intended change of output, regenerate with:
    SIGNPOST_REGENERATE=1 .venv/bin/python -m pytest tests/test_golden.py
and review the diff before committing it.
"""
import os
import shutil
from pathlib import Path

from generator.build import check, build
from generator.diagnostics import format_all
from tests.conftest import ROOT, TODAY

SITES = Path(__file__).parent / "sites"
GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("SIGNPOST_REGENERATE") == "1"


def copy_site(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(SITES / name, root)
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_tiny_site_matches_golden_output(tmp_path):
    root = copy_site("tiny", tmp_path)
    build(root, root / "output", TODAY)
    if REGENERATE:
        shutil.rmtree(GOLDEN / "tiny", ignore_errors=True)
        shutil.copytree(root / "output", GOLDEN / "tiny")
    expected, actual = files_of(GOLDEN / "tiny"), files_of(root / "output")
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], f"{name} differs from tests/golden/tiny/{name}"


def test_invalid_site_reports_exactly_the_expected_diagnostics(tmp_path):
    root = copy_site("invalid", tmp_path)
    _, diagnostics = check(root, TODAY)
    text = format_all(diagnostics, "text") + "\n"
    if REGENERATE:
        (SITES / "invalid" / "expected.txt").write_text(text)
    assert text == (SITES / "invalid" / "expected.txt").read_text()

"""The CI workflows, issue form, PR template and pre-commit hooks: well-formed, and every
`signpost` command they run exists with the options they pass."""
from __future__ import annotations

import re
import shlex
import subprocess

import pytest
import yaml

from generator.cli import cli
from click.testing import CliRunner

from tests.conftest import GOOD_ENTRY, ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def load(path):
    data = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as true.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def signpost_calls(workflow) -> list[list[str]]:
    calls = []
    for step in steps(workflow):
        for line in step.get("run", "").splitlines():
            if line.strip().startswith("signpost "):
                words = shlex.split(line)
                calls.append(words[1:words.index(">")] if ">" in words else words[1:])  # not the redirection
    return calls


def assert_runs(args: list[str]) -> None:
    """The command exists and accepts these options (parsed, not run)."""
    command = cli.commands.get(args[0])
    assert command is not None, f"signpost {args[0]} is not a command"
    with command.make_context(args[0], args[1:], resilient_parsing=False) as ctx:
        assert ctx.command is command


def test_there_are_three_workflows():
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "pr.yml", "scheduled.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_are_well_formed(path):
    workflow = load(path)
    assert workflow["name"] and workflow["on"] and workflow["jobs"]
    for job in workflow["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest"
        assert job["steps"]
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
    for args in signpost_calls(workflow):
        assert_runs(args)


def test_pull_requests_check_test_and_build():
    workflow = load(ROOT / ".github/workflows/pr.yml")
    assert "pull_request" in workflow["on"]
    calls = [" ".join(args) for args in signpost_calls(workflow)]
    assert "check --format github" in calls and any(c.startswith("build") for c in calls)
    runs = [step.get("run", "") for step in steps(workflow)]
    assert "make test" in runs and re.search(r"^test:", (ROOT / "Makefile").read_text(), re.M)
    assert any(run.startswith("pip install -e '.[test]'") for run in runs)


def test_main_deploys_to_pages():
    workflow = load(ROOT / ".github/workflows/deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    uses = [step.get("uses", "") for step in steps(workflow)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "output"


def test_weekly_links_facts_and_stale_entries():
    workflow = load(ROOT / ".github/workflows/scheduled.yml")
    assert workflow["on"]["schedule"][0]["cron"].split()[4] == "1"
    calls = [" ".join(args) for args in signpost_calls(workflow)]
    assert calls == ["links --facts --format github", "check --stale --format github",
                     "check --stale --format markdown"]


def test_weekly_worklist_issue_is_the_only_write_access():
    workflow = load(ROOT / ".github/workflows/scheduled.yml")
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    with_token = [step for step in steps(workflow) if "GH_TOKEN" in step.get("env", {})]
    assert [step["run"] for step in with_token] == [".github/scripts/worklist-issue.sh worklist.md"]
    assert with_token[0]["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert "github.token" not in str([s for s in steps(workflow) if s not in with_token])
    written = next(s for s in steps(workflow) if s.get("id") == "worklist")
    assert written["run"].endswith("> worklist.md") and "steps.worklist.outcome == 'success'" in with_token[0]["if"]


FAKE_GH = """\
#!/bin/sh
echo "$@" >> "$GH_LOG"
if [ "$1 $2" = "issue list" ]; then cat "$GH_LIST"; fi
"""


@pytest.mark.parametrize("listed, expected", [
    ("", "issue create --title Freshness worklist --body-file worklist.md"),
    ("7\n", "issue edit 7 --body-file worklist.md"),
])
def test_worklist_script_opens_one_issue_then_updates_it(tmp_path, listed, expected):
    """The script against a stand-in for gh that answers `issue list` as the forge would after --jq."""
    fake = tmp_path / "bin" / "gh"
    fake.parent.mkdir()
    fake.write_text(FAKE_GH)
    fake.chmod(0o755)
    (tmp_path / "listed").write_text(listed)
    env = {"PATH": f"{fake.parent}:/usr/bin:/bin", "GH_LOG": str(tmp_path / "log"), "GH_LIST": str(tmp_path / "listed")}
    subprocess.run([str(ROOT / ".github/scripts/worklist-issue.sh"), "worklist.md"], env=env, check=True,
                   cwd=tmp_path, capture_output=True)
    calls = (tmp_path / "log").read_text().splitlines()
    assert calls[0].startswith("issue list --state open --search in:title \"Freshness worklist\"")
    assert ".title == \"Freshness worklist\"" in calls[0]
    assert calls[1:] == [expected]


def test_issue_form_takes_the_entry_from_the_link_on_entry_pages():
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/entry-problem.yml").read_text())
    ids = [field.get("id") for field in form["body"]]
    assert "entry" in ids and form["name"] and form["description"]
    template = (ROOT / "templates/entry.html").read_text()
    assert "template=entry-problem.yml" in template and "entry=" in template


def test_pull_request_template_has_a_checklist():
    text = (ROOT / ".github/pull_request_template.md").read_text()
    assert text.count("- [ ]") >= 5 and "sources" in text and "last_verified" in text


@pytest.mark.parametrize("name", [".pre-commit-config.yaml", ".pre-commit-hooks.yaml"])
def test_pre_commit_hooks_run_signpost_check(name):
    data = yaml.safe_load((ROOT / name).read_text())
    hooks = data if isinstance(data, list) else [h for repo in data["repos"] for h in repo["hooks"]]
    hook = next(h for h in hooks if h["id"] == "signpost-check")
    assert_runs(shlex.split(hook["entry"])[1:])
    assert re.search(hook["files"], "content/entries/gb/samaritans.yaml")
    assert not re.search(hook["files"], "generator/cli.py")


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name, command in cli.commands.items():
        assert command.help, f"signpost {name} has no help"
        assert f"`signpost {name}" in readme, f"signpost {name} is missing from README's CLI table"


# `signpost check --stale`, which the weekly workflow runs ------------------------------------

def test_stale_lists_entries_due_oldest_first(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795478400")  # 2026-11-24
    project.entry("gb/fresh.yaml")
    project.entry("gb/older.yaml", GOOD_ENTRY.replace("2026-10-01", "2024-06-30").replace("0800 068 4141", "116 123")
                  .replace("good.example", "older.example"))
    project.entry("gb/oldest.yaml", GOOD_ENTRY.replace("2026-10-01", "2023-02-01").replace("0800 068 4141", "0300 123 3393")
                  .replace("good.example", "oldest.example"))
    result = CliRunner().invoke(cli, ["check", str(project.root), "--stale"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("20")]
    assert [line.split()[:2] for line in lines] == [["2023-02-01", "content/entries/gb/oldest.yaml"],
                                                    ["2024-06-30", "content/entries/gb/older.yaml"]]
    github = CliRunner().invoke(cli, ["check", str(project.root), "--stale", "--format", "github"])
    assert github.output.startswith("::warning file=content/entries/gb/oldest.yaml,line=11,")


def test_stale_still_fails_on_content_errors(project):
    project.entry("gb/bad.yaml", GOOD_ENTRY.replace("kind: helpline", "kind: hotline"))
    assert CliRunner().invoke(cli, ["check", str(project.root), "--stale"]).exit_code == 1


def test_stale_markdown_is_the_worklist_with_the_drift_found(project, monkeypatch):
    """The list the weekly issue shows: due entries, then what the cached source pages lacked."""
    import json

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795478400")  # 2026-11-24
    project.entry("gb/older.yaml", GOOD_ENTRY.replace("2026-10-01", "2024-06-30").replace("Good Line", "Old | Line"))
    result = CliRunner().invoke(cli, ["check", str(project.root), "--stale", "--format", "markdown"])
    assert result.exit_code == 0
    assert ("| 2024-06-30 | 2025-06-28 | Old \\| Line | [`content/entries/gb/older.yaml`]"
            "(https://github.com/example/directory/blob/HEAD/content/entries/gb/older.yaml) |") in result.output
    assert "Not checked yet: run `signpost links --facts`." in result.output
    page = {"url": "https://good.example.org/about", "state": "ok", "detail": "", "final": None,
            "runs": ["0300 123 3393"], "checked": 1795400000.0}
    project.write(".signpost-cache/facts.json", json.dumps({page["url"]: page}))
    again = CliRunner().invoke(cli, ["check", str(project.root), "--stale", "--format", "markdown"])
    assert ("- [ ] **Old \\| Line**: `0800 068 4141` (phone) at [`content/entries/gb/older.yaml` line 8]"
            "(https://github.com/example/directory/blob/HEAD/content/entries/gb/older.yaml#L8) "
            "is on none of https://good.example.org/about") in again.output
    assert "the oldest on 2026-11-23" in again.output


def test_markdown_needs_stale(project):
    result = CliRunner().invoke(cli, ["check", str(project.root), "--format", "markdown"])
    assert result.exit_code == 2 and "add --stale" in result.output


def test_a_long_worklist_still_fits_in_one_issue(tmp_path):
    """At 10,000 entries, all due and every source unreadable, the body stays under the forge's 65,536."""
    import datetime as dt

    from generator.drift import EntryFacts, NumberCheck, Page
    from generator.loader import Document
    from generator.review import Due, worklist_markdown

    name = "A Rather Long Service Name for a Helpline of Some Kind"
    due = [Due(f"content/entries/gb/line-with-a-long-slug-{n}.yaml", 11, name, dt.date(2021, 1, 1),
               dt.date(2022, 1, 1)) for n in range(10_000)]
    facts = [EntryFacts(Document(d.path, {"name": name, "sources": [f"https://www.example.org/contact/{n}"]}),
                        [Page(f"https://www.example.org/contact/{n}", "unreachable", "could not connect")],
                        [NumberCheck("phone", "0800 068 4141", 9, 5, [])]) for n, d in enumerate(due)]
    text = worklist_markdown(due, facts, dt.date(2026, 11, 23), dt.date(2026, 11, 24), 12,
                             "https://github.com/example/directory")
    assert len(text) < 65_536
    assert "| … | | 9940 more: `signpost check --stale` lists them all | |" in text
    assert text.rstrip().endswith("- 9940 more: `signpost links --facts` lists them all")

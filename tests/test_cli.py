"""The CLI through click's runner and as a real subprocess: exit codes, formats, help."""
import json
import re
import subprocess
import sys

from click.testing import CliRunner

import pytest

from generator import parallel
from generator.cli import cli
from tests.conftest import GOOD_ENTRY, ROOT

BROKEN = GOOD_ENTRY.replace("[anxiety]", "[anxeity]")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_check_passes_clean_content(project):
    project.entry("gb/entry.yaml")
    result = run("check", project.root)
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_check_fails_with_file_line_and_code(project):
    project.entry("gb/entry.yaml", BROKEN)
    result = run("check", project.root)
    assert result.exit_code == 1
    assert ("content/entries/gb/entry.yaml:6:10: error: 'anxeity' is not in the topics of site.yaml; "
            "did you mean 'anxiety'? [vocabulary]") in result.output


def test_check_warnings_alone_do_not_fail(project):
    project.entry("gb/entry.yaml", GOOD_ENTRY.replace("2026-10-01", "2020-01-01"))
    result = run("check", project.root)
    assert result.exit_code == 0 and "warning:" in result.output


def test_check_github_annotations(project):
    project.entry("gb/entry.yaml", BROKEN)
    result = run("check", project.root, "--format", "github")
    assert result.exit_code == 1
    assert result.output.startswith("::error file=content/entries/gb/entry.yaml,line=6,col=10,title=vocabulary::")


def test_check_json(project):
    project.entry("gb/entry.yaml", BROKEN)
    result = run("check", project.root, "--format", "json")
    found = json.loads(result.output)
    assert found == [{"path": "content/entries/gb/entry.yaml", "line": 6, "col": 10, "severity": "error",
                      "code": "vocabulary", "message": found[0]["message"]}]


def test_build_default_out_and_custom_out(project, tmp_path):
    project.entry("gb/entry.yaml")
    assert run("build", project.root).exit_code == 0
    assert (project.root / "output/entries/entry/index.html").is_file()
    result = run("build", project.root, "--out", tmp_path / "elsewhere", "-v")
    assert result.exit_code == 0 and "pages" in result.output and "data" in result.output
    assert (tmp_path / "elsewhere/index.html").is_file()


def test_build_with_errors_exits_1_and_keeps_output(project):
    project.entry("gb/entry.yaml")
    run("build", project.root)
    before = (project.root / "output/index.html").read_bytes()
    project.entry("gb/entry.yaml", BROKEN)
    result = run("build", project.root)
    assert result.exit_code == 1
    assert "entry.yaml:6:10" in result.output and "nothing was written" in result.output
    assert (project.root / "output/index.html").read_bytes() == before


def test_build_refuses_to_overwrite_the_project_as_usage_error(project):
    project.entry("gb/entry.yaml")
    result = run("build", project.root, "--out", project.root)
    assert result.exit_code == 2 and "refusing" in result.output


def test_schema_includes_site_vocabularies(project):
    result = run("schema", project.root)
    schema = json.loads(result.output)
    assert schema["properties"]["topics"]["items"]["enum"] == ["anxiety", "stress", "suicide"]
    assert "Contact" in schema["$defs"] and schema["additionalProperties"] is False


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name, command in cli.commands.items():
        assert command.help, name
        assert f"`signpost {name}" in readme, f"README's CLI table lacks {name}"


def test_python_m_generator_as_a_real_subprocess(project):
    project.entry("gb/entry.yaml", BROKEN)
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(project.root)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "entry.yaml:6:10: error:" in result.stdout
    assert "Traceback" not in result.stderr


def test_real_subprocesses_print_everything_before_they_exit(project, tmp_path):
    # The command ends with os._exit (cli.main): the exit code and all the output must still arrive.
    for n in range(3):  # the same website three times: two warnings, printed to stdout
        project.entry(f"gb/entry-{n}.yaml", GOOD_ENTRY.replace("0800 068 4141", f"0800 068 414{n}"))
    checked = subprocess.run([sys.executable, "-m", "generator", "check", str(project.root)],
                             capture_output=True, text=True, cwd=ROOT)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.count(": warning: website https://good.example.org/ is also listed") == 2
    built = subprocess.run([sys.executable, "-m", "generator", "build", str(project.root), "--out",
                            str(tmp_path / "out"), "-v"], capture_output=True, text=True, cwd=ROOT)
    assert built.returncode == 0, built.stderr
    assert "pages" in built.stderr and "2 warnings" in built.stderr
    assert (tmp_path / "out" / "entries" / "entry-2" / "index.html").is_file()


def test_usage_error_exits_2_as_a_real_subprocess():
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--format", "xml"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "Invalid value" in result.stderr


def test_missing_project_folder_is_a_usage_error(tmp_path):
    for command in ("check", "build", "serve", "links", "new", "schema"):
        result = subprocess.run([sys.executable, "-m", "generator", command, str(tmp_path / "nope")],
                                capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 2, command
        assert f"Directory '{tmp_path / 'nope'}' does not exist" in result.stderr and "Traceback" not in result.stderr


def test_project_commands_without_a_project_say_so(tmp_path):
    for args in (["links", tmp_path], ["new", tmp_path, "--name", "X", "--kind", "helpline", "--country", "GB",
                                       "--website", "https://x.example/", "--contact-type", "website",
                                       "--contact-value", "https://x.example/"]):
        result = run(*args)
        assert result.exit_code == 1 and "no site.yaml in" in result.output, args
    assert not (tmp_path / "content").exists()


def test_a_symlink_loop_is_reported_beside_the_other_errors_in_every_format(project):
    project.entry("gb/entry.yaml", BROKEN)
    (project.root / "content/entries/gb/loop.yaml").symlink_to("loop.yaml")
    for command in ("check", "build"):
        texts = run(command, project.root).output
        assert "content/entries/gb/loop.yaml:1:1: error: cannot be read: it is a symbolic link" in texts
        assert "entry.yaml:6:10: error:" in texts
        assert "Errno" not in texts
    github = run("check", project.root, "--format", "github")
    assert github.exit_code == 1 and "::error file=content/entries/gb/loop.yaml,line=1" in github.output
    found = json.loads(run("check", project.root, "--format", "json").output)
    assert [(d["path"], d["code"]) for d in found] == [("content/entries/gb/entry.yaml", "vocabulary"),
                                                       ("content/entries/gb/loop.yaml", "unreadable")]


def signpost(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_version():
    result = signpost("--version")
    assert result.returncode == 0 and result.stdout.startswith("signpost 0.")


@pytest.mark.parametrize("args, message", [
    (["serve", "--port", "80000"], "Invalid value for '--port': 80000 is not in the range 0<=x<=65535"),
    (["serve", "--port", "-1"], "Invalid value for '--port': -1 is not in the range 0<=x<=65535"),
    (["links", "--concurrency", "0"], "Invalid value for '--concurrency': 0 is not in the range 1<=x<=256"),
    (["links", "--timeout", "0"], "Invalid value for '--timeout': 0.0 is not in the range 0<x<=600"),
    (["links", "--retries", "-1"], "Invalid value for '--retries': -1 is not in the range 0<=x<=10"),
])
def test_option_ranges_are_usage_errors_not_tracebacks(project, args, message):
    result = signpost(*args, project.root)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def break_template(project, name, before, after):
    path = project.root / "templates" / name
    text = path.read_text()
    assert before in text
    path.write_text(text.replace(before, after, 1))
    return text[: text.index(before)].count("\n") + 1  # the line of the change


def test_template_syntax_error_points_at_the_template_line(project):
    project.entry("gb/entry.yaml")
    line = break_template(project, "entry.html", "{% block main %}", "{% block main %}{% if %}")
    result = signpost("build", project.root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"Error: templates/entry.html:{line}: Expected an expression, got 'end of "
                                     f"statement block'; fix the template")


def test_undefined_name_points_at_the_template_line_and_debug_adds_the_traceback(project):
    project.entry("gb/entry.yaml")
    line = break_template(project, "entry.html", "{% block main %}", "{% block main %}{{ no_such_name }}")
    result = signpost("build", project.root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"Error: templates/entry.html:{line}: 'no_such_name' is undefined; fix the template"
    # --debug is read from the option itself: given after the command's own arguments it is no
    # flag of the group, and click refuses it rather than it being read from sys.argv.
    debug = signpost("--debug", "build", project.root)
    assert "Traceback" in debug.stderr and debug.stderr.rstrip().endswith("'no_such_name' is undefined; fix the template")
    assert "Traceback" not in signpost("build", project.root, "--debug").stderr


def test_a_template_error_in_a_forked_renderer_points_at_the_template_line(project, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 4)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    for i in range(12):
        project.entry(f"gb/entry-{i}.yaml", GOOD_ENTRY.replace("Good Line", f"Line {i}")
                      .replace("4141", f"{4100 + i}").replace("good.", f"good{i}."))
    line = break_template(project, "entry.html", "{% block main %}",
                          "{% block main %}{% if listing.slug == 'entry-7' %}{{ no_such_name }}{% endif %}")
    result = run("build", project.root)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: templates/entry.html:{line}: 'no_such_name' is undefined; fix the template"


def test_a_failure_writing_the_output_is_a_message(project, tmp_path):
    project.entry("gb/entry.yaml")
    (tmp_path / "file").write_text("not a folder")
    result = signpost("build", project.root, "--out", tmp_path / "file" / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"Error: {tmp_path / 'file'}: File exists"


def test_make_serve_takes_a_port():
    def commands(*args):  # what make would run (-n), without the directory lines of a nested make
        return subprocess.run(["make", "-n", "--no-print-directory", "serve", *args], capture_output=True,
                              text=True, cwd=ROOT).stdout.splitlines()

    assert ".venv/bin/signpost serve . --port 8001" in commands("PORT=8001")
    assert ".venv/bin/signpost serve . --port 8000" in commands()


def test_a_missing_template_or_asset_is_a_message_naming_it(project):
    project.entry("gb/entry.yaml")
    (project.root / "templates/home.html").unlink()
    result = run("build", project.root)
    assert result.exit_code == 1
    assert result.output.strip() == "Error: templates/home.html is missing; copy it from Signpost's own templates/ folder"
    (project.root / "templates/home.html").write_text("{% extends 'base.html' %}")
    (project.root / "templates/static/style.css").unlink()
    result = run("build", project.root)
    assert result.exit_code == 1 and "a bug in Signpost" not in result.output
    assert re.fullmatch(r"Error: templates/base\.html:\d+: KeyError: 'style\.css'; check the template "
                        r"\(--debug shows the traceback\)", result.output.strip())

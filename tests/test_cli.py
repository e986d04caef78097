"""The CLI through click's runner and as a real subprocess: exit codes, formats, help."""
import json
import subprocess
import sys

from click.testing import CliRunner

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
    assert result.exit_code == 0 and "render" in result.output
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
    assert "render + write" in built.stderr and "2 warnings" in built.stderr
    assert (tmp_path / "out" / "entries" / "entry-2" / "index.html").is_file()


def test_usage_error_exits_2_as_a_real_subprocess():
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--format", "xml"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "Invalid value" in result.stderr


def test_missing_project_folder_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(tmp_path / "nope")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "no site.yaml" in result.stdout + result.stderr and "Traceback" not in result.stderr


def test_project_commands_without_a_project_say_so(tmp_path):
    for args in (["links", tmp_path], ["new", tmp_path, "--name", "X", "--kind", "helpline", "--country", "GB",
                                       "--website", "https://x.example/", "--contact-type", "website",
                                       "--contact-value", "https://x.example/"]):
        result = run(*args)
        assert result.exit_code == 1 and "no site.yaml in" in result.output, args
    assert not (tmp_path / "content").exists()

"""A project that names a plug-in command: ``annotator suggest PROJECT --suggester NAME`` runs it only once the user
agreed (``annotator trust``), in the project folder, and refuses again when the project changes the command."""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from annotator.io.settings import load_settings
from annotator.project.project_file import PROJECT_FILE, read_project_file, write_project_file
from annotator.project.trust import is_trusted
from tests.cli.test_cli import run
from tests.conftest import DATA

MARKER = "ran.marker"


def plugin_project(tmp_path: Path, command: str | None = None) -> Path:
    """A copy of tests/data/project-plugins whose plug-in ``marker`` runs its script with this Python."""
    root = tmp_path / "project"
    shutil.copytree(DATA / "project-plugins", root)
    set_command(root, command or f"{shlex.quote(sys.executable)} tools/marker_plugin.py")
    return root


def set_command(root: Path, command: str) -> None:
    project_file = read_project_file(root)
    suggesters = dict(project_file.other["suggesters"])
    suggesters["plugins"] = {"marker": {**suggesters["plugins"]["marker"], "command": command}}
    write_project_file(root, replace(project_file, other=MappingProxyType({"suggesters": suggesters})))


def test_suggest_refuses_a_project_plugin_until_trusted_then_runs_it_in_the_project_folder(tmp_path, capsys):
    root = plugin_project(tmp_path)
    out = tmp_path / "out.jsonl"
    code, said, err = run(capsys, "suggest", str(root), "--suggester", "marker", "-o", str(out))
    assert code == 1 and said == ""
    assert err.count("\n") == 1, err
    assert f"{root / PROJECT_FILE} names the plug-in suggester 'marker', which runs: " in err
    assert "tools/marker_plugin.py; you have not agreed to run it for this project" in err
    assert err.rstrip().endswith(f"annotator trust {shlex.quote(str(root))} marker")
    assert not (root / MARKER).exists() and not out.exists()

    code, said, err = run(capsys, "trust", str(root), "marker")
    assert code == 0, err
    assert said.startswith("marker: agreed to run ") and not (root / MARKER).exists()

    code, said, err = run(capsys, "suggest", str(root), "--suggester", "marker", "-o", str(out))
    assert code == 0, err
    assert (root / MARKER).is_file()  # ran, with the project folder as working directory
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(s["start"], s["end"], s["label"]) for s in record["suggestions"]] == [(0, 10, "organizer")]
    assert record["suggestions"][0]["suggester"] == "marker"  # the project's name for it, not its command line

    (root / MARKER).unlink()
    set_command(root, f"{shlex.quote(sys.executable)} tools/marker_plugin.py --more")  # a changed command
    code, said, err = run(capsys, "suggest", str(root), "--suggester", "marker", "-o", str(out))
    assert code == 1 and "you have not agreed to run it" in err and "--more" in err
    assert not (root / MARKER).exists()


def test_evaluate_refuses_an_untrusted_project_plugin(tmp_path, capsys):
    root = plugin_project(tmp_path)
    code, _said, err = run(capsys, "suggest", "--evaluate", str(root), "--suggester", "marker")
    assert code == 1 and "you have not agreed to run it for this project" in err
    assert not (root / MARKER).exists()


def test_a_moved_project_is_asked_again(tmp_path, capsys):
    root = plugin_project(tmp_path)
    assert run(capsys, "trust", str(root), "marker")[0] == 0
    moved = root.rename(tmp_path / "moved")
    code, _said, err = run(capsys, "suggest", str(moved), "--suggester", "marker", "-o", str(tmp_path / "o.jsonl"))
    assert code == 1 and "you have not agreed" in err and not (moved / MARKER).exists()


def test_trust_lists_the_plugins_and_revokes(tmp_path, capsys):
    root = plugin_project(tmp_path, command="python3 tools/marker_plugin.py")
    code, said, _err = run(capsys, "trust", str(root))
    assert (code, said) == (0, "marker: python3 tools/marker_plugin.py  (not agreed)\n")
    run(capsys, "trust", str(root), "marker")
    assert is_trusted(load_settings(), root, "python3 tools/marker_plugin.py")
    assert run(capsys, "trust", str(root))[1] == "marker: python3 tools/marker_plugin.py  (agreed)\n"
    code, said, _err = run(capsys, "trust", str(root), "marker", "--revoke")
    assert code == 0 and said.startswith("marker: consent withdrawn")
    assert not is_trusted(load_settings(), root, "python3 tools/marker_plugin.py")
    run(capsys, "trust", str(root), "marker")
    code, said, _err = run(capsys, "trust", str(root), "--revoke")
    assert code == 0 and "withdrawn from every command" in said
    assert load_settings().trusted_commands == {}
    assert not (root / MARKER).exists()  # listing and agreeing never run it


def test_trust_shows_invisible_characters_of_a_command(tmp_path, capsys):
    root = plugin_project(tmp_path, command="python3 tools/x.py \u202eyp.kcatta")
    assert run(capsys, "trust", str(root))[1] == "marker: python3 tools/x.py \\u202eyp.kcatta  (not agreed)\n"


def test_trust_faults_are_one_line(tmp_path, capsys):
    root = plugin_project(tmp_path)
    code, _said, err = run(capsys, "trust", str(root), "nope")
    assert (
        code == 1
        and err == f"annotator: error: {root / PROJECT_FILE}: names no plug-in called 'nope' (it names: marker)\n"
    )
    code, _said, err = run(capsys, "trust", str(tmp_path / "missing"))
    assert code == 1 and "not a folder" in err
    (root / PROJECT_FILE).write_text('label_set = "labels.toml"\n[suggesters.plugins.marker]\ntimeout = 0\n', "utf-8")
    code, _said, err = run(capsys, "trust", str(root))
    assert code == 1 and err.count("\n") == 1 and "suggesters.plugins.marker.command must be" in err
    code, _said, err = run(capsys, "suggest", str(root), "--suggester", "marker", "-o", str(tmp_path / "o.jsonl"))
    assert code == 1 and err.count("\n") == 1 and "suggesters.plugins.marker.command must be" in err


def test_a_name_no_project_names_is_still_an_unknown_suggester(tmp_path, capsys):
    root = plugin_project(tmp_path)
    code, _said, err = run(capsys, "suggest", str(root), "--suggester", "other", "-o", str(tmp_path / "o.jsonl"))
    assert code == 1 and "no suggester called 'other'" in err

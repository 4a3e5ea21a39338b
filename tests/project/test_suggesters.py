"""The ``[suggesters]`` table of a project file: read without running anything, checked key by key, kept on rewrite."""

from __future__ import annotations

import shutil

import pytest

from annotator.io.errors import FileFault
from annotator.project.project_file import (
    PROJECT_FILE,
    parse_project_file,
    project_file_text,
    read_project_file,
    write_project_file,
)
from annotator.project.suggesters import (
    PluginConfig,
    ProjectSuggesters,
    parse_suggesters,
    read_project_suggesters,
)
from tests.conftest import DATA

PLUGINS = DATA / "project-plugins"


def test_the_fixture_project_names_its_suggesters_and_reading_it_runs_nothing(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(PLUGINS, root)
    found = read_project_suggesters(root)
    assert found == ProjectSuggesters(
        enabled=("string-match", "attribution"),
        plugins=(PluginConfig("marker", "python3 tools/marker_plugin.py", 20.0),),
    )
    assert found.plugin("marker") == found.plugins[0] and found.plugin("other") is None
    assert not (root / "ran.marker").exists()


def test_no_project_file_or_no_table_is_no_suggesters(tmp_path):
    assert read_project_suggesters(tmp_path) == ProjectSuggesters()
    (tmp_path / PROJECT_FILE).write_text('format_version = 1\nlabel_set = "l.toml"\n', encoding="utf-8")
    assert read_project_suggesters(tmp_path) == ProjectSuggesters(enabled=None, plugins=())


def test_a_plugin_without_timeout_leaves_it_to_the_runner():
    text = 'label_set = "l.toml"\n[suggesters.plugins."ner_2.x"]\ncommand = "ner --fast"\n'
    assert parse_suggesters(parse_project_file(text)).plugins == (PluginConfig("ner_2.x", "ner --fast", None),)


def test_a_project_file_with_suggesters_round_trips_unchanged(tmp_path):
    shutil.copytree(PLUGINS, tmp_path / "p")
    read = read_project_file(tmp_path / "p")
    (tmp_path / "q").mkdir()
    write_project_file(tmp_path / "q", read)
    again = read_project_file(tmp_path / "q")
    assert again == read
    assert read_project_suggesters(tmp_path / "q") == read_project_suggesters(tmp_path / "p")
    assert project_file_text(again) == project_file_text(read)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("suggesters = 3", "suggesters must be a table ([suggesters]), not 3"),
        ("[suggesters]\nenabled = 'string-match'", "suggesters.enabled must be a list of suggester names"),
        ("[suggesters]\nenabled = ['a', 2]", "suggesters.enabled must be a list of suggester names"),
        ("[suggesters]\nplugins = ['x']", "suggesters.plugins must be a table of plug-ins"),
        ("[suggesters.plugins]\nx = 'run'", "suggesters.plugins.x must be a table with a command, not 'run'"),
        ("[suggesters.plugins.x]\ntimeout = 3", "suggesters.plugins.x.command must be the command line to run"),
        ("[suggesters.plugins.x]\ncommand = ' '", "suggesters.plugins.x.command must be the command line to run"),
        ("[suggesters.plugins.x]\ncommand = 'run \"open'", "suggesters.plugins.x.command cannot be split into words"),
        (
            "[suggesters.plugins.x]\ncommand = 'run'\ntimeout = -1",
            "suggesters.plugins.x.timeout must be a number of seconds above 0, not -1",
        ),
        (
            "[suggesters.plugins.x]\ncommand = 'run'\ntimeout = '30'",
            "suggesters.plugins.x.timeout must be a number of seconds above 0, not '30'",
        ),
        (
            "[suggesters.plugins.x]\ncommand = 'run'\ntimeout = inf",
            "suggesters.plugins.x.timeout must be a number of seconds above 0, not inf",
        ),
        (
            "[suggesters.plugins.x]\ncommand = 'run'\ntimeout = true",
            "suggesters.plugins.x.timeout must be a number of seconds above 0, not True",
        ),
        ('[suggesters.plugins."a b"]\ncommand = "run"', "suggesters.plugins.'a b': a plug-in's name is a letter"),
        ('[suggesters.plugins."cmd:x"]\ncommand = "run"', "suggesters.plugins.'cmd:x': a plug-in's name is a letter"),
    ],
)
def test_bad_suggesters_tables_are_one_line_faults_naming_the_file_and_key(tmp_path, table, expected):
    (tmp_path / PROJECT_FILE).write_text(f'label_set = "l.toml"\n{table}\n', encoding="utf-8")
    with pytest.raises(FileFault) as raised:
        read_project_suggesters(tmp_path)
    message = raised.value.message
    assert message.startswith(f"{tmp_path / PROJECT_FILE}: {expected}"), message
    assert "\n" not in message


def test_a_plugin_cannot_take_a_built_in_suggesters_name(tmp_path):
    text = 'label_set = "l.toml"\n[suggesters.plugins.attribution]\ncommand = "run"\n'
    assert parse_suggesters(parse_project_file(text)).plugin("attribution") is not None
    with pytest.raises(FileFault, match=r"suggesters\.plugins\.attribution: a built-in suggester is called"):
        parse_suggesters(parse_project_file(text), reserved={"attribution", "string-match"})

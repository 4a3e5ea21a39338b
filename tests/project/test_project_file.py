import shutil

import pytest

from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set, load_label_set
from annotator.project.layout import Project
from annotator.project.project_file import (
    PROJECT_FILE,
    ProjectFile,
    parse_project_file,
    project_file_text,
    read_project_file,
    save_project_label_set,
    write_project_file,
)
from tests.conftest import DATA

V1 = DATA / "project-v1"


def test_version_1_fixture_is_read_and_the_project_uses_its_label_set():
    assert read_project_file(V1) == ProjectFile(label_set="labels.toml", format_version=1)
    label_set = Project(V1).label_set()
    assert label_set is not None and label_set.name == "protest"
    assert label_set.names == ["organizer", "demand"]


def test_a_folder_without_project_file_has_no_project_label_set(tmp_path):
    assert read_project_file(tmp_path) is None
    assert Project(tmp_path).label_set() is None


def test_write_then_read_round_trips(tmp_path):
    written = ProjectFile(label_set="schema/labels.json")
    write_project_file(tmp_path, written)
    text = (tmp_path / PROJECT_FILE).read_text(encoding="utf-8")
    assert text == 'format_version = 1\nlabel_set = "schema/labels.json"\n'
    assert read_project_file(tmp_path) == written


def test_unknown_keys_of_a_newer_release_are_kept_when_rewritten(tmp_path):
    (tmp_path / PROJECT_FILE).write_text(
        'format_version = 1\nlabel_set = "labels.toml"\nreviewers = 2\n\n'
        '[suggesters]\nner = { model = "x", on = true }\n',
        encoding="utf-8",
    )
    read = read_project_file(tmp_path)
    assert read.other == {"reviewers": 2, "suggesters": {"ner": {"model": "x", "on": True}}}
    save_project_label_set(tmp_path, default_label_set())
    again = parse_project_file(project_file_text(read_project_file(tmp_path)))
    assert again.other == read.other and again.label_set == "labels.toml"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('format_version = 2\nlabel_set = "l.toml"\n', "newer version of annotator (format_version 2; this version"),
        ('format_version = 0\nlabel_set = "l.toml"\n', "format_version must be a whole number from 1, not 0"),
        ('format_version = "1"\nlabel_set = "l.toml"\n', "format_version must be a whole number from 1, not '1'"),
        ('label_set = "labels.toml\n', "not valid TOML: "),
        ("format_version = 1\n", "label_set is missing"),
        ("label_set = 3\n", "label_set must be a string (a file name), not 3"),
        ('label_set = "../other/labels.toml"\n', "label_set must be a file inside the project"),
        ('label_set = "/etc/labels.toml"\n', "label_set must be a file inside the project"),
    ],
)
def test_invalid_project_files_name_the_file_and_fault(tmp_path, content, expected):
    path = tmp_path / PROJECT_FILE
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FileFault) as error:
        read_project_file(tmp_path)
    assert error.value.message.startswith(f"{path}: ")
    assert expected in error.value.message
    assert "line 1" in error.value.message or "TOML" not in expected


def test_a_missing_label_set_file_is_named_with_the_project_file(tmp_path):
    write_project_file(tmp_path, ProjectFile(label_set="schema/gone.toml"))
    with pytest.raises(FileFault) as error:
        Project(tmp_path).label_set()
    assert str(tmp_path / "schema" / "gone.toml") in error.value.message and PROJECT_FILE in error.value.message
    assert "(label_set = 'schema/gone.toml')" in error.value.message  # as the project file says it


def test_saving_the_project_label_set_writes_both_files_once(tmp_path):
    path = save_project_label_set(tmp_path, default_label_set())
    assert path == tmp_path / "labels.toml"
    assert load_label_set(path) == default_label_set()
    assert read_project_file(tmp_path) == ProjectFile()
    assert sorted(p.name for p in tmp_path.iterdir()) == [PROJECT_FILE, "labels.toml"]  # no temporary file left


def test_saving_keeps_the_label_set_file_and_format_the_project_names(tmp_path):
    shutil.copytree(V1, tmp_path, dirs_exist_ok=True)
    (tmp_path / PROJECT_FILE).write_text('label_set = "schema.json"\n', encoding="utf-8")
    save_project_label_set(tmp_path, default_label_set())
    assert (tmp_path / "schema.json").read_text(encoding="utf-8").startswith("{")
    assert Project(tmp_path).label_set() == default_label_set()
    assert (tmp_path / PROJECT_FILE).read_text(encoding="utf-8") == 'label_set = "schema.json"\n'  # not rewritten

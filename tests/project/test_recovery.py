"""Crash recovery under faults, without Qt: a restore killed at each of its steps, and journals that cannot be read
(kept, said why, offered again), and journals of every format version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.commands import AddSpan
from annotator.model.document import Document
from annotator.project.journal import (
    JOURNAL_VERSION,
    Recoverable,
    UnreadableJournal,
    find_recoverable,
    recovery_folder,
    scan_journals,
)
from annotator.project.restore import restore_to_file
from annotator.project.session import DocumentSession

TEXT = "The minister warned on Tuesday that tariffs would rise.\r\nOfficials denied it. 🙂 Done.\n"
ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data" / "journals"
FOUR = [(4, 12, "actor"), (13, 19, "warning"), (36, 43, "claim"), (57, 66, "actor")]


def new_set() -> AnnotationSet:
    return AnnotationSet(Document.from_text(TEXT), default_label_set(), "alice", document_id="a.txt")


def add(session: DocumentSession, start: int, end: int, label: str) -> None:
    command = AddSpan(session.annotations.new_span(start, end, label))
    session.record(command.redo(session.annotations), command.text)


def spans(annotations: AnnotationSet) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in annotations.sorted_spans()]


def killed_with_three_unsaved(path: Path) -> None:
    """Save one span, add three more, and die (the journal stays, its lock is freed as by the OS)."""
    session = DocumentSession(new_set(), path, annotator="alice")
    session.start()
    add(session, *FOUR[0])
    session.save()
    for span in FOUR[1:]:
        add(session, *span)
    session.close(keep_journal=True)  # killed


def restoring_session(path: Path, first: Recoverable) -> DocumentSession:
    """A new session of ``path`` that restored ``first`` (as the app does) and has not saved it yet."""
    session = DocumentSession(first.annotations, path, annotator="alice")
    session.start()
    session.replace_annotations(first.annotations, supersedes=first.journal_path, builds_on=first.base)
    return session


# Where the restoring process is killed (SIGKILL on POSIX): Python code run in the child before it restores, and
# how many spans the annotation file holds then.
KILL_POINTS = {
    "before journaling the restored state": ("session_module.DocumentSession.replace_annotations = die", 1),
    "restored state journaled, before the save": ("session_module.atomic_write_bytes = die", 1),
    "temporary file written, not renamed": ("atomic.os.replace = die_on_replacing_the_file(atomic.os.replace)", 1),
    "file renamed, journals untouched": ("session_module.atomic_write_bytes = then_die(atomic.atomic_write_bytes)", 4),
    "saved, before the new journal is removed": ("journal_module.RecoveryJournal.close = die", 4),
    "new journal removed, before the old one is": ("journal_module.Recoverable.discard = die", 4),
}

CHILD = """
import os, signal, sys
from pathlib import Path
from annotator.io import atomic
from annotator.project import journal as journal_module, session as session_module
from annotator.project.restore import restore_to_file

def die(*args, **kwargs):
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))

def then_die(function):
    def wrapped(*args, **kwargs):
        function(*args, **kwargs)
        die()
    return wrapped

def die_on_replacing_the_file(replace):  # not on the lock's owner file, written the same way before
    def wrapped(source, target):
        if Path(target).name == "a.annotations.json":
            die()
        replace(source, target)
    return wrapped

[recoverable] = journal_module.find_recoverable()
{kill}
restore_to_file(recoverable, annotator="alice")
print("not killed", flush=True)
"""


@pytest.mark.parametrize("kill_point", list(KILL_POINTS))
def test_a_restore_killed_at_any_step_loses_nothing(tmp_path: Path, kill_point: str) -> None:
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    kill, spans_then = KILL_POINTS[kill_point]
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD.format(kill=kill))],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.returncode != 0 and "not killed" not in child.stdout, child.stderr  # it died at the kill point
    assert len(annotation_file.load(path)) == spans_then
    if "temporary" in kill_point:
        assert list(tmp_path.glob(".a.annotations.json.*.tmp"))
    # The next start offers the work once (or nothing, when the file already holds it) ...
    found = find_recoverable()
    assert len(found) <= 1
    for recoverable in found:
        assert spans(recoverable.annotations) == FOUR
        restore_to_file(recoverable, annotator="alice")  # ... and restoring it gives all four spans
    assert spans(annotation_file.load(path)) == FOUR
    assert find_recoverable() == [] and not list(recovery_folder().glob("*.journal"))
    assert not list(tmp_path.glob("*.conflict-*.json"))  # the disk held nothing the work lacked: no copy needed


def test_restored_work_killed_before_its_save_is_not_merged_as_deletions(tmp_path: Path) -> None:
    """In process: the restoring session journals the restored state, dies; the next restore must replace the file
    it was built on, not merge with the restored state as the base (which read the missing spans as deleted)."""
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    [first] = find_recoverable()
    session = restoring_session(path, first)
    add(session, 23, 30, "denial")  # edited after the restore, then killed before any save
    session.close(keep_journal=True)
    [second] = find_recoverable()  # the first journal is superseded: its work is in this one
    assert not second.disk_changed and second.base is not None and spans(second.base) == FOUR[:1]
    restore_to_file(second, annotator="alice")
    assert spans(annotation_file.load(path)) == sorted([*FOUR, (23, 30, "denial")])
    assert find_recoverable() == []


def test_restored_work_not_saved_is_described_as_such_not_as_no_changes(tmp_path: Path) -> None:
    """A restore killed before its save leaves a journal whose changes are all in its base: the offer must not say
    "0 unsaved changes" while restoring adds three spans."""
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    [first] = find_recoverable()
    assert first.describe().startswith("a.annotations.json (a.txt): 3 unsaved changes, the last ")
    session = restoring_session(path, first)
    session.close(keep_journal=True)  # killed before the save
    [second] = find_recoverable()
    assert second.restored_earlier and second.change_count == 0
    assert "0 unsaved changes" not in second.describe()
    assert "unsaved work restored earlier but not saved" in second.describe()
    assert second.unsaved_work() == "unsaved work restored earlier but not saved"
    session = DocumentSession(second.annotations, path, annotator="alice")
    session.start()
    session.replace_annotations(second.annotations, supersedes=second.journal_path, builds_on=second.base)
    add(session, 23, 30, "denial")  # edited after that restore, killed again
    session.close(keep_journal=True)
    [third] = find_recoverable()
    assert third.unsaved_work() == "unsaved work restored earlier but not saved, and 1 change since"
    assert "3 spans added" not in third.describe() and "4 spans added" in third.describe()


def test_restored_work_whose_file_moved_on_is_merged_from_the_file_it_was_built_on(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    [first] = find_recoverable()
    session = restoring_session(path, first)
    session.close(keep_journal=True)  # killed before the save
    theirs = annotation_file.load(path)  # meanwhile someone adds a span to the file on disk
    theirs.insert(theirs.new_span(23, 30, "denial"))
    annotation_file.save(theirs, path)
    [second] = find_recoverable()
    assert second.disk_changed
    restore_to_file(second, annotator="alice")
    assert spans(annotation_file.load(path)) == sorted([*FOUR, (23, 30, "denial")])  # merged: both kept


# -- journals that cannot be read ----------------------------------------------------------------------------------
def journal_with_two_changes(tmp_path: Path) -> Path:
    """A killed session's journal: one span saved, then two unsaved changes (lines 2 and 3)."""
    session = DocumentSession(new_set(), tmp_path / "a.annotations.json", annotator="alice")
    session.start()
    add(session, *FOUR[0])
    session.save()
    add(session, *FOUR[1])
    add(session, *FOUR[2])
    session.close(keep_journal=True)
    return session.journal.path


def write_lines(journal: Path, lines: list[str]) -> None:
    journal.write_text("\n".join(lines) + "\n", encoding="utf-8")


def only_unreadable() -> UnreadableJournal:
    found, unreadable = scan_journals()
    assert found == []
    [kept] = unreadable
    return kept


def test_a_journal_from_a_newer_version_is_kept_and_said_why(tmp_path: Path) -> None:
    journal = journal_with_two_changes(tmp_path)
    lines = journal.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["journal"] = JOURNAL_VERSION + 1
    write_lines(journal, [json.dumps(header), *lines[1:]])
    kept = only_unreadable()
    assert kept.journal_path == journal and kept.annotation_path == tmp_path / "a.annotations.json"
    assert f"journal version {JOURNAL_VERSION + 1}" in kept.reason and "newer version" in kept.reason
    assert journal.name in kept.describe()
    assert journal.exists()
    assert only_unreadable().journal_path == journal  # the next start offers it again
    kept.discard()  # only when the user says so
    assert not journal.exists() and scan_journals() == ([], [])


def test_a_bad_line_in_the_middle_keeps_the_journal_and_restores_nothing_half_way(tmp_path: Path) -> None:
    journal = journal_with_two_changes(tmp_path)
    lines = journal.read_text(encoding="utf-8").splitlines()
    write_lines(journal, [lines[0], lines[1][:-7] + "garbage", lines[2]])
    kept = only_unreadable()
    assert "line 2" in kept.reason and journal.name in kept.describe()
    assert journal.exists()


def test_a_change_that_does_not_apply_leaves_the_annotations_as_they_were(tmp_path: Path) -> None:
    journal = journal_with_two_changes(tmp_path)
    lines = journal.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[2])
    ghost = dict(entry["change"]["added"][0], id="s-ghost")
    entry["change"]["changed"] = [[ghost, ghost]]  # adds its span, then fails: changes a span that is not there
    write_lines(journal, [lines[0], lines[1], json.dumps(entry)])
    kept = only_unreadable()
    assert "line 3" in kept.reason and "does not apply" in kept.reason
    assert journal.exists()


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ('"just a string"', "not a journal header"),
        ("[[[[[[", "not valid JSON"),
        ('{"annotation_path": "/x/a.annotations.json", "base": {}}', "no journal version"),
        ('{"journal": 1, "annotation_path": 5, "base": {}}', "annotation_path"),
        ('{"journal": 1, "annotation_path": "relative.json", "base": {}}', "annotation_path"),
        ('{"journal": 1, "annotation_path": "@ABS@", "text_path": ["a"], "base": {}}', "text_path"),
        ('{"journal": 1, "annotation_path": "@ABS@", "base": {}}', "base"),
    ],
)
def test_a_journal_with_a_bad_header_is_kept_not_deleted(tmp_path: Path, header: str, reason: str) -> None:
    folder = recovery_folder()
    folder.mkdir(parents=True, exist_ok=True)
    journal = folder / "bad-1-1.journal"
    absolute = json.dumps(str(tmp_path / "a.annotations.json"))[1:-1]
    journal.write_text(header.replace("@ABS@", absolute) + '\n{"change": {}}\n', encoding="utf-8")
    kept = only_unreadable()
    assert reason in kept.reason and kept.reason.startswith("line 1")
    assert journal.exists()


def test_a_torn_header_is_no_work_and_is_removed(tmp_path: Path) -> None:
    journal = journal_with_two_changes(tmp_path)
    journal.write_bytes(journal.read_bytes()[:50])  # killed while writing the header: no complete line
    assert scan_journals() == ([], [])
    assert not journal.exists()


@pytest.mark.parametrize("after_header", ["", '{"change": {"added": [{"id": "s-1"'])
def test_a_journal_with_only_its_header_is_removed_without_reading_its_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after_header: str
) -> None:
    # a session killed after its open wrote the base (a huge open does) leaves a header and nothing else: no work,
    # and the base (the whole annotation file) is never parsed to find that out
    from annotator.project import journal as journal_module

    journal = journal_with_two_changes(tmp_path)
    header = journal.read_bytes().split(b"\n")[0]
    journal.write_bytes(header + b"\n" + after_header.encode("utf-8"))  # and perhaps a torn line after it

    def parsed(*args: object) -> None:
        raise AssertionError("the base was parsed")

    monkeypatch.setattr(journal_module, "_header_state", parsed)
    monkeypatch.setattr(journal_module.json, "loads", parsed)
    assert scan_journals() == ([], [])
    assert not journal.exists()


# -- every format version is read -----------------------------------------------------------------------------------
def install_test_journal(name: str, tmp_path: Path) -> Path:
    """Copy ``tests/data/journals/<name>`` into the recovery folder, its ``@DIR@`` standing for ``tmp_path``."""
    folder = recovery_folder()
    folder.mkdir(parents=True, exist_ok=True)
    text = (DATA / name).read_text(encoding="utf-8")
    journal = folder / f"{name.removesuffix('.journal')}-1-1.journal"
    journal.write_text(text.replace("@DIR@", json.dumps(str(tmp_path))[1:-1]), encoding="utf-8")
    return journal


def test_a_version_1_journal_is_read(tmp_path: Path) -> None:
    install_test_journal("v1.journal", tmp_path)
    [recoverable] = find_recoverable()
    assert recoverable.annotation_path == tmp_path / "a.annotations.json"
    assert recoverable.change_count == 2 and recoverable.on_disk is None
    assert [(s.start, s.end, s.label, s.text) for s in recoverable.annotations.sorted_spans()] == [
        (0, 9, "actor", "Officials"),
        (10, 16, "warning", "warned"),
    ]
    assert recoverable.base is not None and spans(recoverable.base) == [(0, 9, "actor")]


def test_a_version_2_journal_is_read_with_the_file_its_base_was_built_on(tmp_path: Path) -> None:
    install_test_journal("v2.journal", tmp_path)
    [recoverable] = find_recoverable()
    assert recoverable.change_count == 1  # the empty "restored" line only marks the base as unsaved
    assert [(s.start, s.end, s.label) for s in recoverable.annotations.sorted_spans()] == [
        (0, 9, "actor"),
        (10, 16, "warning"),
        (20, 27, "claim"),
    ]
    assert recoverable.base is not None and spans(recoverable.base) == [(0, 9, "actor")]
    assert recoverable.supersedes == [Path(str(tmp_path)) / "old.journal"]


def test_a_plain_journal_is_written_as_version_1(tmp_path: Path) -> None:
    journal = journal_with_two_changes(tmp_path)
    assert json.loads(journal.read_text(encoding="utf-8").splitlines()[0])["journal"] == 1


def test_a_version_1_journal_of_restored_work_keeps_a_copy_of_the_file_on_disk(tmp_path: Path) -> None:
    """Version 1 did not record the file restored work was built on: its base is unsaved work, so restoring it must
    not merge from it (that read the spans missing on disk as deleted); the file on disk is kept as a copy."""
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    [first] = find_recoverable()
    session = restoring_session(path, first)
    session.close(keep_journal=True)  # killed before the save
    lines = session.journal.path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    del header["builds_on"]
    header["journal"] = 1  # as a version 1 app wrote it
    write_lines(session.journal.path, [json.dumps(header), *lines[1:]])
    [second] = find_recoverable()
    assert second.base is None and second.disk_changed
    restored = restore_to_file(second, annotator="alice")
    assert spans(annotation_file.load(path)) == FOUR
    assert restored.copy is not None and spans(annotation_file.load(restored.copy)) == FOUR[:1]

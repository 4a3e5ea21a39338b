"""How a journal is read: the app's own header from its bytes (its annotation files parsed once, never through
``json.loads`` of the whole line), and the file on disk known to hold the base by a digest, without parsing it; any
other header still read, as JSON, with the same result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.project import journal as journal_module
from annotator.project.journal import find_recoverable, one_line_digest
from annotator.project.restore import plan_restore, restore_to_file
from tests.project.test_recovery import (
    FOUR,
    killed_with_three_unsaved,
    restoring_session,
    spans,
    write_lines,
)


def never(*args: object, **kwargs: object) -> None:
    raise AssertionError("called")


def test_the_app_s_journal_is_read_from_its_bytes_and_the_file_on_disk_by_its_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    monkeypatch.setattr(journal_module, "_header_of", never)  # the header line as JSON values
    monkeypatch.setattr(annotation_file, "load", never)  # the file on disk parsed to compare
    [found] = find_recoverable()
    assert spans(found.annotations) == sorted(FOUR) and found.change_count == 3
    assert found.base is not None and spans(found.base) == [FOUR[0]]
    assert found.base_digest == one_line_digest(path) and not found.disk_changed
    assert found.on_disk is not None and spans(found.on_disk) == [FOUR[0]]
    assert found.diff.summary() == "3 spans added"
    plan = plan_restore(found)  # still the file the work was built on: no load, no merge
    assert plan.builds_on is found.base and not plan.merged and not plan.needs_copy(path)


def test_the_base_and_the_replayed_state_are_apart(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    [found] = find_recoverable()
    assert found.base is not None and found.base is not found.annotations
    found.base.delete(found.base.sorted_spans()[0].id)
    assert len(found.annotations) == 4 and found.on_disk is not None and len(found.on_disk) == 1


def test_a_file_saved_since_is_parsed_and_compared(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    saved = annotation_file.load(path)
    saved.insert(saved.new_span(*FOUR[3]))
    annotation_file.save(saved, path)
    [found] = find_recoverable()
    assert found.disk_changed and found.on_disk is not None and len(found.on_disk) == 2
    assert found.base_digest != one_line_digest(path)
    assert plan_restore(found).needs_copy(path) or plan_restore(found).merged


def test_a_file_re_saved_with_other_line_ends_is_still_the_base(tmp_path: Path, monkeypatch) -> None:
    # CR LF (git on Windows) and a byte-order mark change no JSON value: the digest puts line breaks as spaces
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    digest = one_line_digest(path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r"))
    assert one_line_digest(path) == digest
    [found] = find_recoverable()
    assert not found.disk_changed


def test_a_restored_journal_s_builds_on_is_read_from_its_bytes(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    [first] = find_recoverable()
    session = restoring_session(path, first)
    session.close(keep_journal=True)  # killed before the save: version 2, builds_on the file on disk
    monkeypatch.setattr(journal_module, "_header_of", never)
    found = [r for r in find_recoverable() if r.journal_path == session.journal.path]
    [second] = found
    assert second.restored_earlier and spans(second.annotations) == sorted(FOUR)
    assert second.base is not None and spans(second.base) == [FOUR[0]]
    assert second.base_digest == one_line_digest(path)
    monkeypatch.undo()
    restored = restore_to_file(second, annotator="alice")
    assert restored.copy is None and spans(annotation_file.load(path)) == sorted(FOUR)


def test_a_header_whose_files_hold_the_key_base_is_read_as_json_with_the_same_result(tmp_path: Path) -> None:
    # written as one JSON value (as early versions did): builds_on's metadata holds ', "base": ', where a cut of the
    # bytes would end builds_on; that file then does not parse, and the line is read as JSON
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    [first] = find_recoverable()
    journal = first.journal_path
    lines = journal.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    built_on = dict(header["base"], metadata={"a": 1, "base": {"b": 2}}, format_version=4)
    header = {**{k: v for k, v in header.items() if k != "base"}, "journal": 2}
    header |= {"builds_on": built_on, "base": built_on}
    write_lines(journal, [json.dumps(header, ensure_ascii=False), *lines[1:]])
    [found] = find_recoverable()
    assert found.base is not None and found.base.metadata == {"a": 1, "base": {"b": 2}}
    assert found.annotations.metadata == {"a": 1, "base": {"b": 2}}
    assert spans(found.annotations) == sorted(FOUR) and found.base_digest is None


def test_a_base_that_is_not_valid_is_named_as_before(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    [first] = find_recoverable()
    lines = first.journal_path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["base"]["spans"][0]["end"] = 999
    write_lines(first.journal_path, [json.dumps(header, ensure_ascii=False), *lines[1:]])
    found, unreadable = journal_module.scan_journals()
    assert found == [] and "its base is not a valid annotation file" in unreadable[0].reason
    with pytest.raises(FileFault):  # what the journal's own bytes say, parsed the app's way
        annotation_file.parse(json.dumps(header["base"]).encode("utf-8"))


def test_a_file_just_loaded_is_copied_for_its_journal_not_parsed_again(tmp_path: Path, monkeypatch) -> None:
    from annotator.project.journal import has_journals, one_line_digest_of, recoverable_for

    path = tmp_path / "a.annotations.json"
    other = tmp_path / "b.annotations.json"
    assert not has_journals(path)
    killed_with_three_unsaved(path)
    assert has_journals(path) and not has_journals(other)
    loaded, data = annotation_file.load_with_bytes(path)
    assert one_line_digest_of(data) == one_line_digest(path)
    steps: list[tuple[str, int, int]] = []
    parsed: list[int] = []
    real = annotation_file.parse
    monkeypatch.setattr(annotation_file, "parse", lambda data, *a, **k: parsed.append(len(data)) or real(data, *a, **k))
    checked: list[int] = []
    real_check = annotation_file.check_parses
    monkeypatch.setattr(
        annotation_file, "check_parses", lambda data, *a, **k: checked.append(len(data)) or real_check(data, *a, **k)
    )
    found = recoverable_for(path, progress=lambda *step: steps.append(step), known=(one_line_digest_of(data), loaded))
    assert found is not None and spans(found.annotations) == sorted(FOUR) and spans(found.base) == [FOUR[0]]
    assert parsed == [] and len(checked) == 1  # only the check that the recovered state makes a valid file
    assert found.base is not loaded and found.annotations is not loaded and len(loaded) == 1
    assert {stage for stage, _done, _total in steps} == {journal_module.CHECKING_STAGE}
    assert all(0 <= done <= total == 1000 for _stage, done, total in steps)


def test_journals_over_a_size_are_left_to_their_files_open_and_named_from_their_first_bytes(tmp_path: Path) -> None:
    from annotator.project.journal import huge_journals, scan_journals

    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    [found] = find_recoverable()
    size = found.journal_path.stat().st_size
    assert huge_journals(size) == [] and huge_journals(size - 1) == [path]
    assert scan_journals(largest=size - 1) == ([], [])  # left alone: not read, not deleted
    assert found.journal_path.exists()
    assert [r.journal_path for r in scan_journals(largest=size)[0]] == [found.journal_path]
    from filelock import FileLock

    with FileLock(str(found.journal_path) + ".lock", timeout=0):  # a running instance's: not listed
        assert huge_journals(size - 1) == []


def restored_not_journaled(path: Path):
    """A session that restored the crashed journal's work to save it next (restored_to_save), and that journal."""
    from annotator.project.session import DocumentSession

    killed_with_three_unsaved(path)
    [first] = find_recoverable()
    session = DocumentSession(first.annotations, path, annotator="alice")
    session.start()
    session.restored_to_save(first.annotations, supersedes=first.journal_path, builds_on=first.base)
    return session, first


def test_restored_work_to_be_saved_is_not_journaled_and_its_crashed_journal_still_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    session, first = restored_not_journaled(path)
    assert session.dirty and not session.journal.path.exists()
    session.close(keep_journal=True)  # killed before the save
    [again] = find_recoverable()
    assert again.journal_path == first.journal_path and spans(again.annotations) == sorted(FOUR)


def test_restored_work_saved_starts_the_journal_on_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.annotations.json"
    session, first = restored_not_journaled(path)
    session.save(overwrite=True)
    first.discard()  # (the app deletes it once the save worked)
    assert not session.dirty and spans(annotation_file.load(path)) == sorted(FOUR)
    session.close(keep_journal=True)
    assert find_recoverable() == []  # the new journal holds only its header: no work


def test_a_change_before_the_save_journals_the_restored_work_with_it(tmp_path: Path) -> None:
    from tests.project.test_recovery import add

    path = tmp_path / "a.annotations.json"
    session, first = restored_not_journaled(path)
    add(session, 44, 48, "actor")  # the save failed, or was not made: the next change journals it all
    header = json.loads(session.journal.path.read_text(encoding="utf-8").splitlines()[0])
    assert header["journal"] == 2 and header["supersedes"] == [str(first.journal_path)]
    session.close(keep_journal=True)  # killed
    [found] = find_recoverable()  # the crashed journal is superseded by this one, which holds its work
    assert found.journal_path == session.journal.path and found.restored_earlier
    assert spans(found.annotations) == sorted([*FOUR, (44, 48, "actor")])
    assert found.base is not None and spans(found.base) == [FOUR[0]]  # built on the file on disk
    assert not first.journal_path.exists()


def test_a_file_found_unchanged_is_not_hashed_again_until_it_is_written(tmp_path: Path, monkeypatch) -> None:
    from annotator.project import restore

    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    [found] = find_recoverable()
    assert found.unchanged_as_of is not None  # found to hold the base when the journal was read
    hashed: list[Path] = []
    real = restore.one_line_digest
    monkeypatch.setattr(restore, "one_line_digest", lambda p: hashed.append(p) or real(p))
    plan = plan_restore(found)
    assert plan.checked is not None and plan.builds_on is found.base and hashed == []
    assert not plan.needs_copy(path) and hashed == []  # the same file: not read again
    saved = annotation_file.load(path)
    saved.insert(saved.new_span(*FOUR[3]))
    annotation_file.save(saved, path)  # written since (a new file renamed over it)
    assert plan.needs_copy(path) and hashed == [path]
    replanned = plan_restore(found)  # no longer the file found: hashed (and, moved on, merged)
    assert hashed == [path, path] and replanned.merged


def test_reading_one_file_s_journals_leaves_other_lock_files_alone(tmp_path: Path) -> None:
    from annotator.project.journal import recoverable_for, recovery_folder, scan_journals

    path = tmp_path / "a.annotations.json"
    killed_with_three_unsaved(path)
    stray = recovery_folder() / "1-1.journal-base.lock"  # as a base being written ahead leaves it for a moment
    stray.write_bytes(b"")
    assert recoverable_for(path) is not None and stray.exists()
    scan_journals()  # a whole scan removes it (no process holds it)
    assert not stray.exists()

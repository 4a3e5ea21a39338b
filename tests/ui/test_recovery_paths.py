"""Regressions from the reviews of crash recovery: each test asserts that no work is lost on an unhappy path
(two journals of one file, reopening the open file, a moved project, a save that fails then works, taking over an
unreadable file, a crash during the restore's own save, a git pull while the recovery question is open, re-anchoring
restored work)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from annotator.io import annotation_file
from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set
from annotator.io.opening import open_text_with_annotations
from annotator.model.commands import AddSpan, relabel_command
from annotator.project.journal import find_recoverable, recovery_folder
from annotator.project.layout import Project
from annotator.project.lock import AnnotationLock
from annotator.project.session import DocumentSession
from annotator.ui.main_window import MainWindow

DOCS = {
    "a.txt": "Officials in Berlin warned that prices would rise.\n",
    "b.txt": "The ministry denied the report.\nIt said nothing else.\n",
    "c.txt": "Analysts claimed the deal was done.\n",
}


def make_project(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    for name, text in DOCS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def crash(project_dir: Path, doc: str, phrases=(("Officials in Berlin", "actor"),), annotator="tester"):
    """Leave a journal as a killed process would: the spans labeled, never saved, locks freed by the OS."""

    def add(annotations):
        commands = []
        for phrase, label_name in phrases:
            start = annotations.text.index(phrase)
            commands.append(AddSpan(annotations.new_span(start, start + len(phrase), label_name)))  # fresh ids
        return commands

    return crash_with(project_dir, doc, add, annotator)


def simulate_kill(window):
    """The window's process dies: OS locks go, nothing else happens."""
    s = window.sessions.session
    window.sessions.autosave_timer.stop()
    s.journal.release()
    s._lock.release()
    window.sessions.session = None


def label(window, phrase, name):
    text = window.controller.annotations.text
    start = text.index(phrase)
    window.view.select_range(start, start + len(phrase))
    window.editing.apply_label(name)


def _all_span_texts(folder: Path) -> set[str]:
    found = set()
    for f in folder.rglob("*.json"):
        with contextlib.suppress(FileFault):
            found |= {s.text for s in annotation_file.load(f)}
    return found


def test_startup_restore_of_two_journals_for_one_file_keeps_the_first(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    path = crash(root, "a.txt", (("Officials in Berlin", "actor"),))  # journal 1 (never restored)
    crash(root, "a.txt", (("warned", "warning"),))  # journal 2, same base
    assert len(find_recoverable()) == 2
    questions.script(recovery=lambda r: "restore")
    window.opener.offer_recovery()
    on_disk = {s.text for s in annotation_file.load(path)}
    copies = sorted(p.name for p in path.parent.glob("*.conflict-*.json"))
    assert "Officials in Berlin" in _all_span_texts(root), (
        f"journal 1's restored work is gone: disk={on_disk}, copies={copies}, journals left={len(find_recoverable())}"
    )


def test_reopening_the_open_file_keeps_unsaved_edits(window, tmp_path):
    doc = tmp_path / "x.txt"
    doc.write_text("Officials in Berlin warned that prices would rise.\n", encoding="utf-8")
    window.open_path(doc)
    label(window, "Officials", "actor")  # autosave pending (2 s)
    window.open_path(doc)  # e.g. File > Recent, or Open again: saves, then installs the stale read
    shown = [s.text for s in window.controller.annotations]
    label(window, "warned", "warning")
    window.sessions.autosave()
    on_disk = [s.text for s in annotation_file.load(tmp_path / "x.annotations.json")]
    assert "Officials" in on_disk, f"shown after reopen={shown}, on disk now={on_disk}"


def test_reopening_the_open_project_annotation_file_keeps_unsaved_edits(window, tmp_path):
    root = make_project(tmp_path)
    window.open_path(root)
    label(window, "Officials", "actor")
    path = window.sessions.session.save_path
    window.sessions.autosave()  # file exists now
    label(window, "warned", "warning")  # unsaved
    window.open_path(path)  # open the annotation json directly
    label(window, "prices", "actor")
    window.sessions.autosave()
    on_disk = sorted(s.text for s in annotation_file.load(path))
    assert "warned" in on_disk, on_disk


def test_restore_of_a_moved_project_does_not_recreate_the_old_folder(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    crash(root, "a.txt")
    root.rename(tmp_path / "corpus-moved")
    questions.script(recovery=lambda r: "restore")
    reopen = window.opener.offer_recovery()
    assert not root.exists(), (
        f"restoring recreated the moved project's old folder {root} (files: "
        f"{[str(p.relative_to(root)) for p in root.rglob('*')]}); reopen={reopen}"
    )


def test_failed_restore_save_then_later_success_forgets_the_old_journal(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    path = crash(root, "a.txt")
    questions.script(recovery=lambda r: "restore")
    import annotator.project.session as session_module

    real = session_module.atomic_write_bytes
    fail = [True]

    def maybe_full(p, data):
        if fail[0] and Path(p) == path:
            raise FileFault(p, "No space left on device")
        return real(p, data)

    monkeypatch.setattr(session_module, "atomic_write_bytes", maybe_full)
    window.open_path(root)  # restore, save fails: old journal kept (correct)
    fail[0] = False
    label(window, "warned", "warning")
    window.sessions.autosave()  # now saved: restored work + the new span
    assert sorted(s.text for s in annotation_file.load(path)) == ["Officials in Berlin", "warned"]
    window.projects.open_document_id("b.txt")
    left = find_recoverable()
    assert not left, (
        f"the restored-and-since-saved work is still offered: {[r.describe() for r in left]}; "
        "restoring it would revert the later save"
    )


def test_adopted_label_set_is_not_a_disk_change(window, tmp_path, monkeypatch):
    root = make_project(tmp_path)
    path = crash(root, "a.txt")
    [rec] = find_recoverable()
    rec.discard()
    raw = json.loads(annotation_file.dumps(rec.annotations))
    raw["spans"] = []
    raw["label_set"]["labels"] = [x for x in raw["label_set"]["labels"] if x["name"] == "actor"]
    raw["label_set"]["name"] = "small"
    raw["label_set"]["relation_types"] = []
    raw["label_set"].pop("attributes", None)  # the default set's quote names claim, warning and denial
    path.write_text(json.dumps(raw), encoding="utf-8")
    window.settings.autosave = False
    window.open_path(root)
    assert window.controller.annotations.label_set.name == "small"  # a file keeps its label set: nothing adopted
    label(window, "Officials", "actor")
    simulate_kill(window)
    [rec] = find_recoverable()
    assert not rec.disk_changed, (
        "nobody touched the file, yet recovery says it changed on disk (and will write a conflict copy)"
    )


def test_takeover_with_unreadable_file_does_not_overwrite_it_silently(window, tmp_path, qtbot):
    root = make_project(tmp_path)
    window.open_path(root)
    path = window.sessions.session.save_path
    label(window, "Officials", "actor")
    window.sessions.autosave()
    window.projects.open_document_id("b.txt")
    bob = AnnotationLock(path, "bob")
    bob.acquire()
    try:
        window.projects.open_document_id("a.txt")
        assert window.sessions.session.read_only
        path.write_text("<<<<<<< HEAD\n{...theirs...}\n=======\n{...mine...}\n>>>>>>> x\n", encoding="utf-8")
    finally:
        bob.release()
    window.sessions.check_disk()  # takeover; reload fails ("Could not reload")
    assert not window.sessions.session.read_only
    label(window, "warned", "warning")
    window.sessions.autosave()
    copies = list(path.parent.glob("*.conflict-*.json"))
    assert "<<<<<<<" in path.read_text() or copies, "the file on disk was overwritten without a question or a copy"


def test_startup_later_then_open_asks_twice(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    crash(root, "a.txt")
    asked = []
    questions.script(recovery=lambda r: asked.append(r.journal_path.name) or "later")
    window.opener.offer_recovery()
    window.open_path(root)
    assert len(asked) == 1, f"asked {len(asked)} times in one start-up: {asked}"


def test_reanchor_then_restore_shows_the_current_text(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    path = crash(root, "a.txt")
    (root / "a.txt").write_text("BREAKING: Officials in Berlin warned that prices would rise.\n", encoding="utf-8")
    questions.script(reanchor=lambda *a: True)
    questions.script(recovery=lambda r: "restore")
    window.open_path(root)
    shown = window.controller.annotations.text
    copies = sorted(p.name for p in path.parent.glob("*.conflict-*.json"))
    assert shown.startswith("BREAKING"), (
        f"after re-anchor + restore the window shows the old text {shown!r} "
        f"(file saved on the old text; copies: {copies})"
    )


def test_disk_change_while_the_recovery_question_is_open_is_kept(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    window.open_path(root)
    label(window, "Officials", "actor")
    window.sessions.autosave()
    path = window.sessions.session.save_path
    label(window, "warned", "warning")
    simulate_kill(window)  # journal: +warned on {Officials}
    window.projects.open_document_id("b.txt")

    def ask(r):
        theirs = annotation_file.load(path)  # a git pull lands while the dialog is open
        s = theirs.text.index("prices")
        theirs.insert(theirs.new_span(s, s + 6, "claim"))
        annotation_file.save(theirs, path)
        window.sessions.check_disk()  # the disk timer fires inside exec(): silent reload (nothing unsaved)
        return "restore"

    questions.script(recovery=ask)
    window.projects.open_document_id("a.txt")
    found = set()
    for f in path.parent.glob("*.json"):
        found |= {s.text for s in annotation_file.load(f)}
    assert "prices" in found, f"the pulled version was overwritten without a copy: {sorted(found)}"


def test_two_journals_restored_one_per_open_keeps_a_copy(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    path = crash(root, "a.txt", (("Officials in Berlin", "actor"),))
    crash(root, "a.txt", (("warned", "warning"),))
    questions.script(recovery=lambda r: "restore")
    window.open_path(root)  # restores the oldest
    window.projects.open_document_id("b.txt")
    window.projects.open_document_id("a.txt")  # restores the second
    found = set()
    for f in path.parent.glob("*.json"):
        found |= {s.text for s in annotation_file.load(f)}
    on_disk = sorted(s.text for s in annotation_file.load(path))
    assert on_disk == ["Officials in Berlin", "warned"], f"not merged: disk={on_disk}, copies hold {found}"


def killed_in_save(window: MainWindow, **kw) -> bool:
    """Stands in for ``DocumentSessions.save_session``: the process dies inside the save (nothing written)."""
    simulate_kill(window)
    return False


def test_crash_during_the_restore_save_offers_the_work_once(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    path = crash(root, "a.txt")
    questions.script(recovery=lambda r: "restore")

    with monkeypatch.context() as m:
        m.setattr(window.sessions, "save_session", lambda **kw: killed_in_save(window, **kw))
        window.open_path(root)
    found = find_recoverable()
    descriptions = [r.describe() for r in found]
    window.opener.offer_recovery()  # next start: restore everything offered
    copies = sorted(p.name for p in path.parent.glob("*.conflict-*.json"))
    assert len(found) == 1 and not copies, f"{len(found)} offers for one piece of work: {descriptions}; copies {copies}"


def test_restore_killed_during_its_save_is_restored_in_full_at_the_next_start(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    path = saved_base(window, root)  # on disk: Officials in Berlin, warned

    def add_prices(a):
        s = a.text.index("prices")
        return [AddSpan(a.new_span(s, s + 6, "claim"))]

    crash_with(root, "a.txt", add_prices)  # journal J: +prices
    questions.script(recovery=lambda r: "restore")

    with monkeypatch.context() as m:
        m.setattr(window.sessions, "save_session", lambda **kw: killed_in_save(window, **kw))
        window.projects.open_document_id("a.txt")
    window.opener.offer_recovery()  # next start: restore what is offered
    on_disk = sorted(s.text for s in annotation_file.load(path))
    copies = sorted(p.name for p in path.parent.glob("*.conflict-*.json"))
    assert on_disk == ["Officials in Berlin", "prices", "warned"] and not copies, (on_disk, copies)
    assert find_recoverable() == []


def test_restored_work_killed_before_its_save_is_not_called_0_changes(window, tmp_path, monkeypatch, questions):
    """The journal a killed restore leaves holds its work in its base: offer and status bar say so, not "0 unsaved
    changes" for work that adds a span."""
    root = make_project(tmp_path)
    crash(root, "a.txt")
    questions.script(recovery=lambda r: "restore")

    with monkeypatch.context() as m:
        m.setattr(window.sessions, "save_session", lambda **kw: killed_in_save(window, **kw))
        window.open_path(root)
    offered = []
    questions.script(recovery=lambda r: offered.append(r.describe()) or "restore")
    window.opener.offer_recovery()  # next start
    assert len(offered) == 1 and "0 unsaved changes" not in offered[0], offered
    assert "restored earlier but not saved" in offered[0] and "1 span added" in offered[0]
    message = window.statusBar().currentMessage()
    assert "Restored 0" not in message and "Restored the unsaved work restored earlier (1 span added)" in message


def test_an_unreadable_journal_is_kept_named_and_offered_again(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    crash(root, "a.txt")
    [journal] = recovery_folder().glob("*.journal")
    lines = journal.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["journal"] = 99  # written by a newer version
    journal.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    asked: list[list[str]] = []
    answer = ["keep"]
    questions.script(unreadable_journals=lambda js: asked.append([j.describe() for j in js]) or answer[0])
    window.opener.offer_recovery()  # start-up
    assert len(asked) == 1 and journal.name in asked[0][0] and "journal version 99" in asked[0][0]
    assert journal.exists()
    window.opener.offer_recovery()
    assert len(asked) == 1  # kept for this run: not asked again ...
    answer[0] = "discard"
    window.opener.recover_unsaved_work()  # ... until File → Recover Unsaved Work…, where the user discards it
    assert len(asked) == 2 and not journal.exists()


def crash_with(project_dir: Path, doc: str, edit, annotator="tester") -> Path:
    """A killed session of ``doc`` whose unsaved changes are the commands ``edit(annotations)`` returns."""
    project = Project(project_dir)
    opened = open_text_with_annotations(
        project.text_path(doc), project.annotation_path(doc, annotator), default_label_set(), annotator, doc
    )
    session = DocumentSession(
        opened.annotations, opened.save_path, annotator=annotator, text_path=opened.text_path, project_root=project.root
    )
    session.start()
    for command in edit(opened.annotations):
        session.record(command.redo(opened.annotations), "edit")
    session.journal.release()
    session._lock.release()
    return project.annotation_path(doc, annotator)


def saved_base(window, root):
    """a.txt saved with actor "Officials in Berlin" (s1) and warning "warned" (s2); returns its path."""
    window.open_path(root)
    label(window, "Officials in Berlin", "actor")
    label(window, "warned", "warning")
    window.sessions.autosave()
    path = window.sessions.session.save_path
    window.projects.open_document_id("b.txt")
    return path


def test_restored_merge_writes_a_file_the_app_cannot_open(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    path = saved_base(window, root)
    ids = {s.text: s.id for s in annotation_file.load(path)}
    # The crashed session relabeled the actor as a claim (its own links would go with it: it had none).
    crash_with(root, "a.txt", lambda a: [relabel_command(a, ids["Officials in Berlin"], "claim")])
    # Meanwhile the file on disk got a link warned -> Officials (another instance, a git pull).
    theirs = annotation_file.load(path)
    theirs.insert_relation(theirs.new_relation("source", ids["warned"], ids["Officials in Berlin"]))
    annotation_file.save(theirs, path)
    questions.script(recovery=lambda r: "restore")
    window.projects.open_document_id("a.txt")  # restore: merged (no conflict detected) and saved
    try:
        annotation_file.load(path)
    except FileFault as error:
        raise AssertionError(f"after the restore the annotation file no longer opens: {error.message}") from None


def test_recover_unsaved_work_drops_the_open_documents_unsaved_edits(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    saved_base(window, root)

    def add_prices(a):
        s = a.text.index("prices")
        return [AddSpan(a.new_span(s, s + 6, "claim"))]

    crash_with(root, "a.txt", add_prices)  # journal J: +prices
    window.settings.autosave = False  # (or any unsaved state: conflict put off, within the 2 s autosave delay)
    window.projects.open_document_id("a.txt")  # J offered: "later" (fixture default)
    label(window, "would rise", "claim")  # unsaved edit of the open document, journaled
    questions.script(recovery=lambda r: "restore")
    window.opener.recover_unsaved_work()  # File > Recover Unsaved Work...: restores J into the open document
    shown = sorted(s.text for s in window.controller.annotations)
    everywhere = _all_span_texts(root) | {s.text for r in find_recoverable() for s in r.annotations}
    assert "would rise" in shown or "would rise" in everywhere, (
        f"the open document's unsaved edit is gone: shown={shown}, on disk/copies/journals={sorted(everywhere)}"
    )


def test_failed_copy_then_autosave_overwrites_the_disk_version_without_a_copy(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    path = saved_base(window, root)
    ids = {s.text: s.id for s in annotation_file.load(path)}
    crash_with(root, "a.txt", lambda a: [relabel_command(a, ids["warned"], "claim")])  # mine: warned -> claim
    theirs = annotation_file.load(path)
    relabel_command(theirs, ids["warned"], "denial").redo(theirs)  # theirs: warned -> denial (a conflict)
    annotation_file.save(theirs, path)
    import annotator.project.session as session_module

    real = session_module.atomic_write_bytes
    full = [True]

    def disk_full_for_new_files(p, data):
        if full[0] and ".conflict-" in Path(p).name:
            raise FileFault(p, "No space left on device")
        return real(p, data)

    monkeypatch.setattr(session_module, "atomic_write_bytes", disk_full_for_new_files)
    questions.script(recovery=lambda r: "restore")
    window.projects.open_document_id(
        "a.txt"
    )  # merge conflicts -> a copy is needed -> the copy fails: "Nothing was saved"
    full[0] = False  # space freed
    label(window, "prices", "claim")
    window.sessions.autosave()  # ordinary save: the disk is as it was read at open, so no conflict is noticed
    labels = {(s.text, s.label) for f in path.parent.glob("a*.json") for s in annotation_file.load(f)}
    assert ("warned", "denial") in labels, f"their relabel (warned: denial) is nowhere: {sorted(labels)}"


def test_superseding_journal_after_reload_does_not_hold_the_work_it_supersedes(
    window, tmp_path, monkeypatch, questions
):
    root = make_project(tmp_path)
    path = saved_base(window, root)

    def add_prices(a):
        s = a.text.index("prices")
        return [AddSpan(a.new_span(s, s + 6, "claim"))]

    crash_with(root, "a.txt", add_prices)  # journal J: +prices
    import annotator.project.session as session_module

    real = session_module.atomic_write_bytes
    full = [True]
    monkeypatch.setattr(
        session_module,
        "atomic_write_bytes",
        lambda p, d: (
            (_ for _ in ()).throw(FileFault(p, "No space left on device"))
            if full[0] and Path(p) == path
            else real(p, d)
        ),
    )
    questions.script(recovery=lambda r: "restore")
    window.projects.open_document_id(
        "a.txt"
    )  # restored; the save fails: "not saved yet, so the earlier journal is kept too"
    full[0] = False
    theirs = annotation_file.load(path)  # someone changes the file; the user picks Reload in the conflict dialog
    s = theirs.text.index("Berlin")
    theirs.insert(theirs.new_span(s, s + 6, "actor"))
    annotation_file.save(theirs, path)
    questions.script(conflict=lambda name, unsaved: "reload")
    window.sessions.check_disk()
    window.settings.autosave = False
    label(window, "rise", "claim")  # the new journal's header still says it supersedes J, its base lacks +prices
    simulate_kill(window)
    left = find_recoverable()
    everywhere = _all_span_texts(root) | {s.text for r in left for s in r.annotations}
    assert "prices" in everywhere, f"J (+prices) was deleted as superseded; offered now: {[r.describe() for r in left]}"


def test_one_notion_of_unsaved_undo_back_to_the_saved_state_and_restored_work(window, tmp_path, monkeypatch, questions):
    root = make_project(tmp_path)
    window.settings.autosave = False
    assert window.open_path(root) and window.projects.open_document_id("a.txt")
    label(window, "Officials in Berlin", "actor")
    assert window.sessions.unsaved and window.isWindowModified()
    window.controller.undo_stack.undo()  # back to the state on disk: nothing to save, nothing to recover
    assert not window.sessions.unsaved and not window.isWindowModified()
    assert find_recoverable() == [] or all(r.annotation_path.name != "a.annotations.json" for r in find_recoverable())
    window.controller.undo_stack.redo()
    assert window.sessions.unsaved and window.isWindowModified()
    # work restored after a crash is unsaved until saved, whatever is undone after it
    window.sessions.close()
    crash(root, "b.txt", (("The ministry", "actor"),))
    questions.script(recovery="restore")
    monkeypatch.setattr(window.opener, "_save_changed_on_open", lambda recoverable, plan: "")  # not saved at once
    assert window.projects.open_document_id("b.txt")
    assert [s.text for s in window.controller.annotations] == ["The ministry"]
    assert window.sessions.unsaved and window.isWindowModified()
    label(window, "the report", "claim")
    window.controller.undo_stack.undo()
    assert window.sessions.unsaved and window.isWindowModified()  # the restored span is still only in the journal

"""The label sets: the one the user chose (remembered in the settings), a project's (named by its project file), and
the open document's own (switched, renamed and merged as undoable changes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.io.errors import FileFault
from annotator.io.label_set_file import default_label_set, load_label_set
from annotator.io.settings import Settings
from annotator.model.annotation_set import AnnotationSet, relation_faults
from annotator.model.labels import LabelSet
from annotator.project.layout import Project
from annotator.project.project_file import PROJECT_FILE, save_project_label_set
from annotator.ui.controller import AnnotationController
from annotator.ui.dialogs.questions import Questions
from annotator.ui.main.notices import Notices
from annotator.ui.plain_text import NameSafeStatusBar
from annotator.ui.timing import STATUS_TIMEOUT_MS


def lacking_remark(own: LabelSet) -> str:
    """``""``, or (after a space) how to get the default label set's attributes and document labels that ``own``
    lacks, naming them: `` Label Set → Use Default Label Set adds the default set's attributes and document labels
    (quote, kind, relevance).`` (short enough for the status bar after "Loaded N spans from <file>.")."""
    default = default_label_set()
    have = {a.name for a in own.attributes} | {d.name for d in own.document_labels}
    attributes = [a.name for a in default.attributes if a.name not in have]
    documents = [d.name for d in default.document_labels if d.name not in have]
    if not attributes and not documents:
        return ""
    what = " and ".join(part for part, names in (("attributes", attributes), ("document labels", documents)) if names)
    return f" Label Set → Use Default Label Set adds the default set's {what} ({', '.join(attributes + documents)})."


class LabelSets:
    """The chosen label set (:attr:`label_set`) and the open document's.

    The open document has its own label set (:attr:`AnnotationSet.label_set`): the one its file was made with (the
    chosen one for a new file), until the user switches it; renaming or merging labels changes the document's set,
    not the chosen one. In a project whose project file names a label set, :attr:`label_set` is the project's while
    it is open (the user's own comes back when leaving it), and choosing a label set writes the project's file
    instead of the settings.

    Parameters
    ----------
    label_set: the chosen label set at start.
    controller: the annotation controller (the open document's label set changes through it).
    clashes: why a label set cannot be used (a label's hotkey is an application shortcut), or ``[]``.
    settings, save_settings: the remembered label-set path, and how to write the settings.
    questions: asks whether to add missing labels, which label to rename or merge, a label-set file.
    notices, status: messages and the status bar.
    show: shows a label set everywhere labels appear (bar, menu, legend, panels).
    project: the open project, or ``None``.
    """

    def __init__(
        self,
        label_set: LabelSet,
        controller: AnnotationController,
        clashes: Callable[[LabelSet], list[str]],
        settings: Settings,
        save_settings: Callable[[], None],
        questions: Questions,
        notices: Notices,
        status: NameSafeStatusBar,
        show: Callable[[LabelSet], None],
        project: Callable[[], Project | None],
    ) -> None:
        self.label_set = label_set
        self._user_label_set: LabelSet | None = None  # the user's own, while a project file's label set is in use
        self.controller = controller
        self._clashes = clashes
        self.settings = settings
        self._save_settings = save_settings
        self.questions = questions
        self.notices = notices
        self.status = status
        self._show = show
        self._project = project

    def user_label_set(self) -> LabelSet:
        """The label set the user chose (remembered in the settings), which applies outside projects; while a project
        file's label set is in use, :attr:`label_set` is that one instead."""
        return self._user_label_set or self.label_set

    def adopt(self, annotations: AnnotationSet, file_name: str) -> str:
        """Freshly opened ``annotations`` keep the label set their file was made with, exactly as on disk (labels,
        order, colors, keys, guidelines, relation types): only an explicit, undoable switch (Label Set → Open Label
        Set…, Use Default Label Set) changes it. Returns a remark for the status bar when it is not the chosen set
        (:attr:`label_set`: the user's, or the project's in a project), else ``""``."""
        own = annotations.label_set
        if own == self.label_set:
            return ""
        which = own.name if own.name != self.label_set.name else f"its own version of {own.name}"
        lacking = lacking_remark(own)
        if lacking:  # what the user can do about it says enough, and the status bar has room for one sentence
            return lacking.strip()
        return f"{file_name} keeps the label set it was made with ({which})."

    def use_project_label_set(self, project: Project) -> str:
        """Use the label set ``project``'s project file names, else the user's; returns a status-bar remark when the
        project file or its label set cannot be used (named with its fault), else ``""``."""
        user = self.user_label_set()
        remark = ""
        try:
            label_set = project.label_set()
        except FileFault as error:
            label_set = None
            remark = f"{' '.join(error.message.splitlines())} — using your label set {user.name} instead."
        clashes = self._clashes(label_set) if label_set is not None else []
        if clashes:
            remark = (
                f"The project's label set {label_set.name}: {'; '.join(clashes)}; using your label set {user.name}."
            )
            label_set = None
        self._user_label_set = user if label_set is not None else None
        self.label_set = label_set or user
        self._show(self.label_set)
        return remark

    def leave_project(self, in_project: bool) -> None:
        """Back to the user's own label set (``in_project``: a project was open)."""
        if in_project and self.label_set is not self.user_label_set():
            self.label_set = self.user_label_set()
            self._show(self.label_set)
        self._user_label_set = None

    def _save_project_label_set(self, label_set: LabelSet) -> None:
        """Make ``label_set`` the open project's (its label-set file and project file, written once, atomically),
        leaving the user's own label set as it was."""
        project = self._project()
        if project is None:
            return
        try:
            path = save_project_label_set(project.root, label_set)
        except FileFault as error:
            self.notices.show_message("Could not save the project's label set", error.message)
            return
        self.status.showMessage(
            f"Using label set {label_set.name} in {project.name}: written to {path.name} ({PROJECT_FILE}); "
            "commit both to share it.",
            STATUS_TIMEOUT_MS * 2,
        )

    def open_label_set_dialog(self) -> None:
        """Ask for a label-set file (JSON or TOML) and use it."""
        path = self.questions.open_file("Open label set", "Label sets (*.json *.toml);;All files (*)")
        if path:
            self.load_label_set_file(path)

    def load_label_set_file(self, path: str | Path) -> bool:
        """Use the label set in ``path`` (remembered for next time). Refused, with a plain-text message, when the
        file is invalid or a label hotkey is already an application shortcut (the message names both)."""
        try:
            label_set = load_label_set(path)
        except FileFault as error:
            self.notices.show_message("Could not use the label set", error.message)
            return False
        user = self.user_label_set()
        if self._use_label_set(label_set, Path(path).name):
            if self._project() is not None:  # the project's label set, for everyone: the user's own stays as it was
                self._user_label_set = user
                self._save_project_label_set(label_set)
                return True
            self.settings.label_set_path = str(Path(path).resolve())
            self._save_settings()
            return True
        return False

    def use_remembered_label_set(self, path: str | Path) -> bool:
        """At start, use the label set remembered from an earlier run (``Settings.label_set_path``); False when it
        can no longer be used (moved, deleted, invalid, or a hotkey now an application shortcut). Then the default
        set stays, the path is forgotten (so this is said once), and the status bar says so, again with the first
        document opened: never in a message box, which would block every start and take the first key pressed."""
        try:
            label_set = load_label_set(path)
            faults = self._clashes(label_set)
        except FileFault as error:
            faults = error.faults
        if not faults:
            return self._use_label_set(label_set, Path(path).name)
        self.settings.label_set_path = ""
        self._save_settings()
        notice = (
            f"The remembered label set {path} could not be used: {'; '.join(faults)}. Using the default label set "
            "(Label Set → Open Label Set… chooses another)."
        )
        self.notices.pending = f"{self.notices.pending} {notice}".strip()
        self.status.showMessage(notice, STATUS_TIMEOUT_MS * 3)
        return False

    def use_default_label_set(self) -> None:
        """Go back to the shipped label set (actor, claim, warning, denial)."""
        user = self.user_label_set()
        if self._use_label_set(default_label_set(), "the default label set"):
            if self._project() is not None:  # the project's label set, for everyone: the user's own stays as it was
                self._user_label_set = user
                self._save_project_label_set(self.label_set)
                return
            self.settings.label_set_path = ""
            self._save_settings()

    def _use_label_set(self, label_set: LabelSet, source: str) -> bool:
        clashes = self._clashes(label_set)
        if clashes:
            self.notices.show_message(
                "Could not use the label set",
                f"{source}: " + "; ".join(clashes) + ". Change the label's hotkey or the shortcut (F1) first.",
            )
            return False
        annotations = self.controller.annotations
        if annotations is None:
            self.label_set = label_set
            self._show(label_set)
        else:
            missing = label_set.missing_labels((s.label for s in annotations), annotations.label_set)
            file_name = annotations.document.source.file_name or "the document"
            # Of the old set's relation types, only those a link in the document uses come along (a type no link
            # uses would only offer "Link <type>…" and reach the exports' configurations).
            used = {r.type for r in annotations.relations()}
            own_types = {rtype.name for rtype in label_set.relation_types}
            kept = [rt for rt in annotations.label_set.relation_types if rt.name in used and rt.name not in own_types]
            merged = label_set.with_labels(missing, kept)
            spans = {s.id: s for s in annotations}
            unfit = sum(1 for r in annotations.relations() if relation_faults(r, spans, merged))
            if missing and not self.questions.add_labels(file_name, [m.name for m in missing], label_set.name, unfit):
                self.status.showMessage("Label set not changed.", STATUS_TIMEOUT_MS)
                return False
            before = annotations.relation_count
            self.controller.change_label_set(merged, f"Use label set {label_set.name}")
            self.label_set = label_set
            lost = before - annotations.relation_count
            if lost and not missing:  # when asked, the question said so already
                self.notices.show_message(
                    "Links removed",
                    f"{lost} link(s) do not fit the relation types of “{label_set.name}” and were removed. "
                    "Undo (Ctrl+Z) brings them back with the previous label set.",
                )
            kept_names = [rt.name for rt in kept if merged.relation_type(rt.name) is not None]
            if kept_names:
                self.status.showMessage(
                    f"Using label set {label_set.name} ({source}); kept relation type(s) {', '.join(kept_names)}: "
                    "links in the document use them.",
                    STATUS_TIMEOUT_MS * 2,
                )
                return True
        self.status.showMessage(f"Using label set {label_set.name} ({source}).", STATUS_TIMEOUT_MS)
        return True

    def rename_label_dialog(self) -> None:
        """Ask for a label and its new name, then rename it across the open document (undoable)."""
        annotations = self.controller.annotations
        if annotations is None:
            self.status.showMessage("Open a document first.", STATUS_TIMEOUT_MS)
            return
        names = annotations.label_set.names
        old = self.questions.choose("Rename label", "Label:", names)
        if old is None:
            return
        new = self.questions.text("Rename label", f"New name for {old}:", old)
        if new and new.strip() and new.strip() != old:
            self.rename_label(old, new.strip())

    def rename_label(self, old: str, new: str) -> bool:
        """Rename label ``old`` to ``new`` in the label set and on every span (one undo step)."""
        try:
            self.controller.rename_label(old, new)
        except ValueError as error:
            self.notices.show_message("Could not rename the label", str(error))
            return False
        self.status.showMessage(f"Renamed {old} to {new}.", STATUS_TIMEOUT_MS)
        return True

    def merge_label_dialog(self) -> None:
        """Ask which label to merge into which, then merge (undoable)."""
        annotations = self.controller.annotations
        if annotations is None or len(annotations.label_set.labels) < 2:
            self.status.showMessage("Open a document with at least two labels first.", STATUS_TIMEOUT_MS)
            return
        names = annotations.label_set.names
        source = self.questions.choose("Merge label", "Merge label:", names)
        if source is None:
            return
        into = self.questions.choose("Merge label", f"Merge {source} into:", [n for n in names if n != source])
        if into is not None:
            self.merge_label(source, into)

    def merge_label(self, source: str, into: str) -> bool:
        """Give every ``source`` span the label ``into`` and drop ``source`` from the label set (one undo step)."""
        try:
            self.controller.merge_label(source, into)
        except ValueError as error:
            self.notices.show_message("Could not merge the labels", str(error))
            return False
        self.status.showMessage(f"Merged {source} into {into}.", STATUS_TIMEOUT_MS)
        return True

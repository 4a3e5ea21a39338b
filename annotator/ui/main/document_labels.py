"""Setting the open document's labels (e.g. its relevance) from the Document Labels panel: every change one undo
step through the controller, saved with the document."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget

from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.labels import LabelSet
from annotator.ui.controller import AnnotationController
from annotator.ui.document.document_labels_panel import NO_DOCUMENT_LABELS, DocumentLabelsPanel
from annotator.ui.plain_text import NameSafeStatusBar
from annotator.ui.timing import STATUS_TIMEOUT_MS


class DocumentLabelling:
    """Keeps :class:`DocumentLabelsPanel` ``panel`` (in ``dock``) showing the open document's labels, and runs what
    the user sets there through ``controller`` (refusals go to ``status``)."""

    def __init__(
        self,
        controller: AnnotationController,
        panel: DocumentLabelsPanel,
        dock: QDockWidget,
        status: NameSafeStatusBar,
    ) -> None:
        self.controller = controller
        self.panel = panel
        self.dock = dock
        self.status = status
        panel.value_changed.connect(self._set)

    def show_annotations(self, annotations: AnnotationSet | None) -> None:
        """Show the labels of ``annotations`` (``None``: no document: the panel is disabled)."""
        self.panel.set_label_set(annotations.label_set if annotations is not None else None)
        self.panel.show_values(annotations.document_labels if annotations is not None else None)

    def set_label_set(self, label_set: LabelSet) -> None:
        """The document labels ``label_set`` defines are offered (after the label set changed)."""
        self.panel.set_label_set(label_set)
        annotations = self.controller.annotations
        self.panel.show_values(annotations.document_labels if annotations is not None else None)

    def on_change(self, change: Change) -> None:
        """Show the document labels again when ``change`` changed them (an edit, undo or redo)."""
        if change.document_labels is not None or change.label_set is not None:
            self.show_annotations(self.controller.annotations)

    def edit_document_labels(self) -> None:
        """Show the Document Labels panel and put the keyboard focus on its first field."""
        self.dock.show()
        self.dock.raise_()
        if not self.panel.focus_first():
            annotations = self.controller.annotations
            if annotations is None:
                self.status.showMessage("Open a document first.", STATUS_TIMEOUT_MS)
            elif not annotations.label_set.document_labels:
                self.status.showMessage(NO_DOCUMENT_LABELS, STATUS_TIMEOUT_MS)

    def _set(self, name: str, value: str | list[str] | None) -> None:
        if self.controller.annotations is None:
            return
        try:
            if self.controller.set_document_label(name, value):
                annotations = self.controller.annotations
                shown = annotations.document_labels.get(name) if annotations is not None else None
                text = ", ".join(shown) if isinstance(shown, list) else shown
                self.status.showMessage(f"{name}: {text or 'unset'}", STATUS_TIMEOUT_MS)
            else:  # refused (read-only): show what the document has
                self.show_annotations(self.controller.annotations)
        except ValueError as error:
            self.status.showMessage(f"Not set: {error}", STATUS_TIMEOUT_MS)

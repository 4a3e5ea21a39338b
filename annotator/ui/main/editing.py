"""Annotating the open document: labeling the selection, selecting, stepping through and resizing spans, notes,
flags and attributes, links, actor identity ("same actor as…"), undo and redo.
Widgets never change the model: they call the controller, which reports a
:class:`Change` that :meth:`SpanEditing._on_change` shows in each view."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QLabel

from annotator.model.annotation_set import AnnotationSet, Change
from annotator.model.navigation import step_through_spans
from annotator.model.span import Span
from annotator.ui.controller import AnnotationController
from annotator.ui.dialogs.questions import Questions
from annotator.ui.document.attribute_editor import value_text
from annotator.ui.document.document_view import DocumentView, LinkMark
from annotator.ui.document.find_bar import FindBar
from annotator.ui.document.grouping import GroupingRefused, GroupingSession, entity_noun
from annotator.ui.document.legend import LegendBar
from annotator.ui.document.linking import LinkRefused, LinkSession
from annotator.ui.document.span_panel import SpanPanel
from annotator.ui.document.span_table import SpanTableModel, SpanTableView
from annotator.ui.main.notices import Notices
from annotator.ui.plain_text import NameSafeStatusBar
from annotator.ui.timing import STATUS_TIMEOUT_MS


class SpanEditing:
    """The editing commands on the open document, and the views kept in step with its selected span.

    Parameters
    ----------
    controller: the annotation controller (every edit goes through it).
    view, span_model, span_table, span_panel, span_dock, find_bar, legend: the widgets it drives.
    selection_status, count_status, mode_status: the status bar's caret, count and mode labels.
    status, notices: the status bar and messages.
    questions: asks which relation type to link with.

    Attributes
    ----------
    linking: the link being made (Tab picks the other end, Enter links), or ``None``.
    grouping: the "same actor as…" being chosen (Tab picks the other mention, Enter groups), or ``None``.
    """

    def __init__(
        self,
        controller: AnnotationController,
        view: DocumentView,
        span_model: SpanTableModel,
        span_table: SpanTableView,
        span_panel: SpanPanel,
        span_dock: QDockWidget,
        find_bar: FindBar,
        legend: LegendBar,
        selection_status: QLabel,
        count_status: QLabel,
        mode_status: QLabel,
        status: NameSafeStatusBar,
        notices: Notices,
        questions: Questions,
    ) -> None:
        self.controller = controller
        self.view = view
        self.span_model = span_model
        self.span_table = span_table
        self.span_panel = span_panel
        self.span_dock = span_dock
        self.find_bar = find_bar
        self.legend = legend
        self.selection_status = selection_status
        self.count_status = count_status
        self.mode_status = mode_status
        self.status = status
        self.notices = notices
        self.questions = questions
        self.linking: LinkSession | None = None
        self.grouping: GroupingSession | None = None
        self._sorted_spans: list[Span] | None = None
        self._syncing = False
        view.selection_changed.connect(self.on_selection_changed)
        view.selection_made.connect(self._on_selection_made)
        view.spans_clicked.connect(self._on_spans_clicked)
        span_table.selectionModel().selectionChanged.connect(self._on_table_selection)
        span_table.clicked.connect(self._on_table_selection)  # re-clicking a selected row jumps to it again
        span_panel.note_committed.connect(lambda span_id, note: self._edit_span(span_id, note=note))
        span_panel.uncertain_toggled.connect(lambda span_id, flag: self._edit_span(span_id, uncertain=flag))
        span_panel.link_requested.connect(self.start_linking)
        span_panel.relation_remove_requested.connect(lambda rid: controller.remove_relations([rid]))
        span_panel.link_activated.connect(lambda span_id: self.select_span(span_id, reveal=True))
        span_panel.editing_finished.connect(view.setFocus)
        span_panel.message.connect(lambda text: status.showMessage(text, STATUS_TIMEOUT_MS))
        span_panel.attribute_changed.connect(self._set_attribute)
        find_bar.label_all_requested.connect(self.label_all)

    def show_annotations(self, annotations: AnnotationSet) -> None:
        """Show freshly opened ``annotations`` (after the controller took them) in the view and the span list."""
        self._sorted_spans = None
        self.view.set_annotations(annotations)
        self.span_model.set_annotations(annotations)

    def apply_label(self, label: str) -> None:
        """Label the text selection with ``label`` (snapped to words in word mode); with no text selected, relabel
        the selected span."""
        if self.controller.annotations is None:
            return
        if self.controller.read_only_reason:
            self.status.showMessage(self.controller.read_only_reason, STATUS_TIMEOUT_MS)
            return
        selected = self.view.selected_range()
        if selected is not None:
            span = self.controller.add_span(*selected, label)
            if span is None:
                self.status.showMessage(
                    "Not labeled: the selection is only whitespace, or already has that label.", STATUS_TIMEOUT_MS
                )
                return
            self.view.clear_text_selection()
            self.select_span(span.id)
        elif self.view.selected_span_id is not None:
            links = self.controller.annotations.relation_count
            if self.controller.relabel_span(self.view.selected_span_id, label) is None:
                self.status.showMessage(f"The span already is (or has a twin labeled) {label}.", STATUS_TIMEOUT_MS)
            elif self.controller.annotations.relation_count < links:
                lost = links - self.controller.annotations.relation_count
                self.status.showMessage(
                    f"Relabeled as {label}; removed {lost} link(s) that a {label} span cannot have (Ctrl+Z restores).",
                    STATUS_TIMEOUT_MS * 2,
                )
        else:
            self.status.showMessage("Select some text (or a span: Tab) first, then choose a label.", STATUS_TIMEOUT_MS)

    def undo(self) -> None:
        """Undo the last change."""
        self.span_panel.commit_note()
        self.controller.undo_stack.undo()

    def redo(self) -> None:
        """Redo the last undone change."""
        self.controller.undo_stack.redo()

    def delete_selected_spans(self) -> None:
        """Delete the spans selected in the span list, or else the span selected in the view (with their links)."""
        if self.controller.annotations is None:
            return
        ids = self.span_table.selected_span_ids() if self.span_table.hasFocus() else []
        if not ids and self.view.selected_span_id is not None:
            ids = [self.view.selected_span_id]
        if ids:
            self.controller.remove_spans(ids)

    def escape(self) -> None:
        """Cancel linking (or "same actor as…"), else close the find bar, else deselect the span."""
        if self.linking is not None:
            self.cancel_linking()
            self.status.showMessage("Linking cancelled.", STATUS_TIMEOUT_MS)
        elif self.grouping is not None:
            self.cancel_grouping()
            self.status.showMessage("Grouping cancelled.", STATUS_TIMEOUT_MS)
        elif self.find_bar.isVisible():
            self.find_bar.close_bar()
        else:
            self.clear_span_selection()

    def clear_span_selection(self) -> None:
        """Deselect the selected span."""
        self.select_span(None)

    def _on_selection_made(self, start: int, end: int) -> None:
        """A mouse drag ended: show the snapped selection, so what gets labeled is what is shown."""
        if self.controller.annotations is None:
            return
        snapped = self.controller.snap(start, end)
        if snapped != (start, end):
            self.view.select_range(*snapped)

    def _edit_span(self, span_id: str, *, note: str | None = None, uncertain: bool | None = None) -> None:
        if self.controller.annotations is not None:
            self.controller.edit_span(span_id, note=note, uncertain=uncertain)

    def _set_attribute(self, on: str, item_id: str, name: str, value: bool | str | None) -> None:
        """The span panel set an attribute of a span or link: one undo step (a refusal goes to the status bar)."""
        if self.controller.annotations is None:
            return
        try:
            if on == "relation":
                self.controller.set_attribute(item_id, name, value, on="relation")
            else:
                self.controller.set_attribute(item_id, name, value)
        except (KeyError, ValueError) as error:
            self.status.showMessage(f"Not set: {error}", STATUS_TIMEOUT_MS)

    def cycle_attribute(self, name: str) -> None:
        """An attribute hotkey: the next value of attribute ``name`` on the selected span; the status bar says it."""
        annotations = self.controller.annotations
        span = self.selected_span()
        if annotations is None:
            return
        if span is None:
            self.status.showMessage("Select a span first (Tab moves between spans).", STATUS_TIMEOUT_MS)
            return
        attribute = annotations.label_set.attribute(name)
        if attribute is None or not attribute.applies_to(span.label):
            self.status.showMessage(f"A {span.label} span has no attribute {name}.", STATUS_TIMEOUT_MS)
            return
        if self.controller.read_only_reason:
            self.status.showMessage(self.controller.read_only_reason, STATUS_TIMEOUT_MS)
            return
        try:
            changed = self.controller.cycle_attribute(span.id, name)
        except ValueError as error:
            self.status.showMessage(str(error), STATUS_TIMEOUT_MS)
            return
        if changed:
            value = annotations.get(span.id).attributes.get(name, attribute.default_value())
            self.status.showMessage(f"{name}: {value_text(attribute, value)}", STATUS_TIMEOUT_MS)

    def same_actor(self) -> None:
        """ "Same actor as…": offer the spans the selected mention may name the same actor as (the likeliest earlier
        mention first): Tab/Shift+Tab choose, Enter or a click groups them, Esc cancels."""
        annotations = self.controller.annotations
        if annotations is None:
            return
        if self.controller.read_only_reason:
            self.status.showMessage(self.controller.read_only_reason, STATUS_TIMEOUT_MS)
            return
        self.cancel_linking()
        try:
            self.grouping = GroupingSession.start(annotations, self.view.selected_span_id)
        except GroupingRefused as error:
            self.status.showMessage(str(error), STATUS_TIMEOUT_MS * 2)
            return
        self.show_links()
        self.view.reveal_range(self.grouping.candidate.start, self.grouping.candidate.end)
        self.view.setFocus()
        self.update_mode_status()
        self.status.showMessage(
            f"Same {self.grouping.noun} as: Tab picks (likeliest first), Enter or click groups, Esc cancels"
        )

    def finish_grouping(self, other_id: str) -> None:
        session = self.grouping
        if session is None:
            return
        if not session.accepts(other_id):
            self.status.showMessage("That span cannot be grouped with this one; choose another.", STATUS_TIMEOUT_MS)
            return
        self.grouping = None
        try:
            self.controller.same_entity(session.span_id, other_id)
        except (KeyError, ValueError) as error:
            self.notices.show_message("Could not group", str(error))
        self.update_mode_status()
        self.show_links()
        self.show_span_details()
        annotations = self.controller.annotations
        if annotations is not None and session.span_id in annotations:
            mentions = annotations.entity_mentions(annotations.get(session.span_id).entity)
            self.status.showMessage(f"Same {session.noun}: {len(mentions)} mentions.", STATUS_TIMEOUT_MS)

    def cancel_grouping(self) -> None:
        if self.grouping is not None:
            self.grouping = None
            self.update_mode_status()
            self.show_links()
            self.status.clearMessage()

    def leave_actor_group(self) -> None:
        """Take the selected mention out of its actor group (the others stay grouped)."""
        span = self.selected_span()
        if span is None:
            self.status.showMessage("Select a span first (Tab moves between spans).", STATUS_TIMEOUT_MS)
            return
        if not span.entity:
            self.status.showMessage("The span is in no group.", STATUS_TIMEOUT_MS)
            return
        if self.controller.leave_entity(span.id):
            self.status.showMessage("Left the group (Ctrl+Z puts it back).", STATUS_TIMEOUT_MS)

    def edit_note(self) -> None:
        """Write a note on the selected span (the span panel's note field takes the focus)."""
        if self.selected_span() is None:
            self.status.showMessage("Select a span first (Tab moves between spans).", STATUS_TIMEOUT_MS)
            return
        self.span_dock.show()
        self.span_dock.raise_()
        self.span_panel.focus_note()

    def toggle_uncertain(self) -> None:
        """Flag the selected span as uncertain, or clear the flag."""
        span = self.selected_span()
        if span is None:
            self.status.showMessage("Select a span first (Tab moves between spans).", STATUS_TIMEOUT_MS)
            return
        self.controller.edit_span(span.id, uncertain=not span.uncertain)

    def _spans_in_order(self) -> list[Span]:
        if self._sorted_spans is None:
            annotations = self.controller.annotations
            self._sorted_spans = annotations.sorted_spans() if annotations is not None else []
        return self._sorted_spans

    def selected_span(self) -> Span | None:
        annotations = self.controller.annotations
        span_id = self.view.selected_span_id
        if annotations is None or span_id is None or span_id not in annotations:
            return None
        return annotations.get(span_id)

    def next_span(self) -> None:
        """Select the next span (or, while linking, offer the next candidate)."""
        self._step_selection(+1)

    def previous_span(self) -> None:
        """Select the previous span (or, while linking, offer the previous candidate)."""
        self._step_selection(-1)

    def _step_selection(self, direction: int) -> None:
        if self.grouping is not None:
            self.grouping.step(direction)
            self.show_links()
            self.view.reveal_range(self.grouping.candidate.start, self.grouping.candidate.end)
            return
        if self.linking is not None:
            self.linking.step(direction)
            self.show_links()
            self.view.reveal_range(self.linking.candidate.start, self.linking.candidate.end)
            return
        current = self.selected_span()
        caret = self.view.caret()
        selected = self.view.selected_range()
        if current is None and selected is not None and direction < 0:
            caret = selected[0]
        span = step_through_spans(self._spans_in_order(), current, caret, direction)
        if span is None:
            self.status.showMessage("No spans yet.", STATUS_TIMEOUT_MS)
            return
        self.view.clear_text_selection()
        self.select_span(span.id, reveal=True)

    def select_span_at_caret(self) -> None:
        """Select the span under the caret; again, the next span stacked there. While linking: link."""
        if self.linking is not None:
            self.finish_linking(self.linking.candidate.id)
            return
        if self.grouping is not None:
            self.finish_grouping(self.grouping.candidate.id)
            return
        annotations = self.controller.annotations
        if annotations is None:
            return
        spans = annotations.spans_at(self.view.caret())
        if not spans:
            self.status.showMessage("No span at the caret.", STATUS_TIMEOUT_MS)
            return
        self._on_spans_clicked([s.id for s in spans])

    def _step(self, edge: str, direction: int, unit: str) -> None:
        span = self.selected_span()
        if span is None:
            self.status.showMessage("Select a span first (Tab moves between spans).", STATUS_TIMEOUT_MS)
            return
        resized = self.controller.step_span(span.id, edge, direction, unit)
        if resized is None:
            self.status.showMessage("The span cannot move that way.", STATUS_TIMEOUT_MS)
            return
        self.view.reveal_range(resized.start, resized.end)

    def start_left_word(self) -> None:
        """Grow the selected span's start by one word."""
        self._step("start", -1, "word")

    def start_right_word(self) -> None:
        """Shrink the selected span's start by one word."""
        self._step("start", +1, "word")

    def end_left_word(self) -> None:
        """Shrink the selected span's end by one word."""
        self._step("end", -1, "word")

    def end_right_word(self) -> None:
        """Grow the selected span's end by one word."""
        self._step("end", +1, "word")

    def start_left_char(self) -> None:
        """Grow the selected span's start by one character."""
        self._step("start", -1, "char")

    def start_right_char(self) -> None:
        """Shrink the selected span's start by one character."""
        self._step("start", +1, "char")

    def end_left_char(self) -> None:
        """Shrink the selected span's end by one character."""
        self._step("end", -1, "char")

    def end_right_char(self) -> None:
        """Grow the selected span's end by one character."""
        self._step("end", +1, "char")

    def link_source(self) -> None:
        """Link the selected statement span to the actor who utters it: Tab/Shift+Tab choose, Enter links."""
        self.start_linking("source")

    def link_target(self) -> None:
        """Link the selected statement span to the actor it is aimed at."""
        self.start_linking("target")

    def link_any(self) -> None:
        """Link the selected span with a relation type of the label set: the one its label allows, or the one
        chosen in :meth:`choose_relation_type` when several do (e.g. a custom set's "rejects")."""
        annotations = self.controller.annotations
        span = self.selected_span()
        if annotations is None or span is None:
            self.status.showMessage("Select a span first (Tab moves between spans).", STATUS_TIMEOUT_MS)
            return
        names = [
            t.name for t in annotations.label_set.relation_types if not t.from_labels or span.label in t.from_labels
        ]
        if not names:
            article = "an" if span.label[:1].lower() in "aeiou" else "a"
            self.status.showMessage(f"No link can start at {article} {span.label} span.", STATUS_TIMEOUT_MS)
            return
        name = names[0] if len(names) == 1 else self.questions.relation_type(names, span.label)
        if name:
            self.start_linking(name)

    def start_linking(self, relation_type: str) -> None:
        """Enter link mode for ``relation_type`` from the selected span; the nearest candidate is offered first."""
        annotations = self.controller.annotations
        if annotations is None:
            return
        self.cancel_grouping()
        try:
            self.linking = LinkSession.start(annotations, relation_type, self.view.selected_span_id)
        except LinkRefused as error:
            self.status.showMessage(str(error), STATUS_TIMEOUT_MS * 2)
            return
        self.show_links()
        self.view.reveal_range(self.linking.candidate.start, self.linking.candidate.end)
        self.view.setFocus()
        self.update_mode_status()
        self.status.showMessage(f"Link {relation_type}: Tab picks (nearest first), Enter or click links, Esc cancels")

    def finish_linking(self, to_id: str) -> None:
        session = self.linking
        if session is None:
            return
        if not session.accepts(to_id):
            self.status.showMessage("That span cannot be linked this way; choose another.", STATUS_TIMEOUT_MS)
            return
        self.linking = None
        try:
            self.controller.add_relation(session.relation_type, session.from_id, to_id)
        except ValueError as error:
            self.notices.show_message("Could not link", str(error))
        self.update_mode_status()
        self.show_links()
        self.show_span_details()
        target = self.controller.annotations.get(to_id)
        self.status.show_with_text(f"Linked {session.relation_type}: {{text}}.", target.text, STATUS_TIMEOUT_MS)

    def cancel_linking(self) -> None:
        if self.linking is not None:
            self.linking = None
            self.update_mode_status()
            self.show_links()
            self.status.clearMessage()

    def show_links(self) -> None:
        """Draw the selected span's links (and the pending candidate while linking) in the view."""
        annotations = self.controller.annotations
        span = self.selected_span()
        marks: list[LinkMark] = []
        if annotations is not None and span is not None:
            for relation in annotations.relations_of(span.id):
                incoming = relation.to == span.id
                other = relation.from_ if incoming else relation.to
                if other in annotations:
                    marks.append(LinkMark(annotations.get(other), relation.type, incoming=incoming))
            noun = f"same {entity_noun(span.label)}"
            for mention in annotations.entity_mentions(span.entity):
                if mention.id != span.id:
                    marks.append(LinkMark(mention, noun))
            if self.linking is not None:
                marks.append(LinkMark(self.linking.candidate, self.linking.relation_type, pending=True))
            if self.grouping is not None:
                marks.append(LinkMark(self.grouping.candidate, f"{noun}?", pending=True))
        self.view.set_links(marks)

    def show_span_details(self) -> None:
        """Fill the span panel for the selected span (its note, flag and links)."""
        annotations = self.controller.annotations
        span = self.selected_span()
        if annotations is None or span is None:
            self.span_panel.show_span(None, [], None)
            return
        links = []
        for relation in annotations.relations_of(span.id):
            outgoing = relation.from_ == span.id
            other = relation.to if outgoing else relation.from_
            if other in annotations:
                links.append((relation, annotations.get(other), "outgoing" if outgoing else "incoming"))
        mentions = annotations.entity_mentions(span.entity)
        entity_links = []
        for mention in mentions:
            if mention.id == span.id:
                continue
            for relation in annotations.relations_of(mention.id):
                outgoing = relation.from_ == mention.id
                other = relation.to if outgoing else relation.from_
                if other in annotations:
                    entity_links.append((relation, annotations.get(other), "outgoing" if outgoing else "incoming"))
        label = annotations.label_set.get(span.label)
        self.span_panel.set_label_set(annotations.label_set)
        self.span_panel.show_span(
            span, links, label.color if label else None, mentions=mentions, entity_links=entity_links
        )

    def select_span(self, span_id: str | None, *, reveal: bool = False) -> None:
        if self.linking is not None and span_id != self.linking.from_id:
            self.cancel_linking()  # the statement being linked is no longer selected
        if self.grouping is not None and span_id != self.grouping.span_id:
            self.cancel_grouping()
        annotations = self.controller.annotations
        span = annotations.get(span_id) if annotations is not None and span_id in annotations else None
        self.view.set_selected_span(span, reveal=reveal)
        self._syncing = True
        try:
            self.span_table.select_span(span.id if span else None)
        finally:
            self._syncing = False
        self.show_links()
        self.show_span_details()

    def _on_spans_clicked(self, span_ids: list[str]) -> None:
        if self.linking is not None and span_ids:
            choice = next((i for i in span_ids if self.linking.accepts(i)), span_ids[0])
            self.finish_linking(choice)
            return
        if self.grouping is not None and span_ids:
            choice = next((i for i in span_ids if self.grouping.accepts(i)), span_ids[0])
            self.finish_grouping(choice)
            return
        if not span_ids:
            self.select_span(None)
            return
        current = self.view.selected_span_id
        # Clicking again on stacked spans cycles through them, shortest first.
        if current in span_ids:
            span_ids = span_ids[span_ids.index(current) + 1 :] + span_ids[: span_ids.index(current) + 1]
        self.select_span(span_ids[0])

    def _on_table_selection(self, *_args: object) -> None:
        if self._syncing:
            return
        ids = self.span_table.selected_span_ids()
        annotations = self.controller.annotations
        if len(ids) == 1 and annotations is not None and ids[0] in annotations:
            self.view.clear_text_selection()
            self.view.set_selected_span(annotations.get(ids[0]), reveal=True)
            self.show_links()
            self.show_span_details()

    def on_change(self, change: Change) -> None:
        """Show ``change`` in the view, the span list, the span panel and the counts."""
        self._sorted_spans = None
        self.view.apply_change(change)
        self._syncing = True  # rows vanish one by one; the selection they leave behind is not a user's choice
        try:
            self.span_model.apply_change(change)
        finally:
            self._syncing = False
        selected = self.view.selected_span_id
        if selected is not None and any(s.id == selected for s in change.removed):
            self.select_span(None)
        if self.linking is not None and (change.removed or change.changed or change.label_set):
            self.cancel_linking()
        if self.grouping is not None and (change.removed or change.changed or change.label_set):
            self.cancel_grouping()
        self.show_links()
        self.show_span_details()  # cheap; the other end of a link may have changed too
        self.update_counts()

    def on_selection_changed(self, start: int, end: int) -> None:
        if start == end:
            self.selection_status.setText(f"Caret {start}")
        else:
            self.selection_status.setText(f"Selection {start}–{end} ({end - start} code points)")
            if self.view.selected_span_id is not None:
                self.select_span(None)

    def label_all(self, label: str, ranges: list) -> None:
        if self.controller.annotations is None:
            return
        added = self.controller.add_spans([tuple(r) for r in ranges], label)
        skipped = len(ranges) - len(added)
        extra = f" ({skipped} already labeled {label}, alone or inside a longer {label} span)" if skipped else ""
        self.status.showMessage(f"Labeled {len(added)} matches as {label}{extra}.", STATUS_TIMEOUT_MS * 2)

    def update_mode_status(self) -> None:
        mode = "Words" if self.controller.snap_to_words else "Characters"
        linking = f" · Linking {self.linking.relation_type}" if self.linking is not None else ""
        if self.grouping is not None:
            linking = f" · Same {self.grouping.noun} as…"
        self.mode_status.setText(f"Snap: {mode}{linking}")

    def update_counts(self) -> None:
        annotations = self.controller.annotations
        if annotations is None:
            self.count_status.setText("")
            self.legend.set_counts({})
            return
        self.legend.set_counts(annotations.counts_by_label())  # the legend shows the count per label
        links = annotations.relation_count
        count = len(annotations)
        self.count_status.setText(f"{count} span{'' if count == 1 else 's'} · {links} link{'' if links == 1 else 's'}")

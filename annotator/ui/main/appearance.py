"""How the window looks: text size and font, the light or dark theme, the guidelines panel, and the shortcut sheet
(where shortcuts are changed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from annotator.io.settings import Settings
from annotator.model.labels import LabelSet
from annotator.model.span import Span
from annotator.ui.action_registry import ActionRegistry, native
from annotator.ui.actions import ACTIONS
from annotator.ui.controller import AnnotationController
from annotator.ui.dialogs.questions import Questions
from annotator.ui.document.document_view import DEFAULT_POINT_SIZE, DocumentView
from annotator.ui.document.guidelines_panel import GuidelinesPanel
from annotator.ui.main.notices import Notices
from annotator.ui.plain_text import NameSafeStatusBar
from annotator.ui.theme import apply_theme

if TYPE_CHECKING:
    from annotator.ui.dialogs.about import AboutDialog
    from annotator.ui.dialogs.shortcut_sheet import ShortcutSheetDialog

MIN_POINT_SIZE, MAX_POINT_SIZE = 7.0, 40.0
THEMES = ("system", "light", "dark")


class Appearance:
    """Text size, font, theme, guidelines and shortcuts.

    Parameters
    ----------
    parent: the window the shortcut sheet opens over.
    controller: the annotation controller (the open document's label set, for the sheet).
    view, guidelines, guidelines_dock: the widgets it drives.
    settings, save_settings: the remembered font, theme and shortcuts, and how to write them.
    questions: asks for a font.
    notices, status: messages and the status bar.
    registry: the window's actions (built after this part: a callable).
    label_set: the chosen label set (its labels' keys are listed in the sheet when no document is open).
    selected_span: the span selected in the document, if any.
    """

    def __init__(
        self,
        parent: QWidget,
        controller: AnnotationController,
        view: DocumentView,
        guidelines: GuidelinesPanel,
        guidelines_dock: QDockWidget,
        settings: Settings,
        save_settings: Callable[[], None],
        questions: Questions,
        notices: Notices,
        status: NameSafeStatusBar,
        registry: Callable[[], ActionRegistry],
        label_set: Callable[[], LabelSet],
        selected_span: Callable[[], Span | None],
    ) -> None:
        self.parent = parent
        self.controller = controller
        self.view = view
        self.guidelines = guidelines
        self.guidelines_dock = guidelines_dock
        self.settings = settings
        self._save_settings = save_settings
        self.questions = questions
        self.notices = notices
        self.status = status
        self._registry = registry
        self._label_set = label_set
        self._selected_span = selected_span

    def zoom_in(self) -> None:
        """Larger text."""
        self.set_point_size(self.view.font().pointSizeF() + 1)

    def zoom_out(self) -> None:
        """Smaller text."""
        self.set_point_size(self.view.font().pointSizeF() - 1)

    def zoom_reset(self) -> None:
        """Default text size."""
        self.set_point_size(DEFAULT_POINT_SIZE)

    def set_point_size(self, size: float) -> None:
        font = self.view.font()
        font.setPointSizeF(max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, size)))
        self.view.setFont(font)

    def choose_font(self) -> None:
        """Pick the document font (remembered)."""
        font = self.questions.font(self.view.font())
        if font is not None:
            self.view.setFont(font)
            self.settings.font_family = font.family()
            self.settings.font_point_size = font.pointSizeF()
            self._save_settings()

    def theme_system(self) -> None:
        """Follow the system's light or dark appearance."""
        self.set_theme("system")

    def theme_light(self) -> None:
        """Light appearance."""
        self.set_theme("light")

    def theme_dark(self) -> None:
        """Dark appearance."""
        self.set_theme("dark")

    def set_theme(self, choice: str, *, save: bool = True) -> None:
        app = QApplication.instance()
        if app is not None:
            apply_theme(app, choice)
        self._registry().actions[f"view.theme_{choice}"].setChecked(True)
        self.settings.theme = choice  # widgets recolor on their PaletteChange event
        if save:
            self._save_settings()

    def show_guidelines(self) -> None:
        """Show the guidelines panel (for the selected span's label, if any)."""
        self.guidelines_dock.show()
        self.guidelines_dock.raise_()
        span = self._selected_span()
        if span is not None:
            self.guidelines.show_label(span.label)

    def show_about(self) -> AboutDialog:
        """Help → About: the version, the licence and the app's folders (:mod:`annotator.ui.dialogs.about`)."""
        from annotator.ui.dialogs.about import AboutDialog  # not needed at start-up

        dialog = AboutDialog(self.parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_shortcut_sheet(self) -> ShortcutSheetDialog:
        """Open the searchable shortcut sheet, where shortcuts can be changed (saved in the settings)."""
        from annotator.ui.dialogs.shortcut_sheet import ShortcutRow, ShortcutSheetDialog  # not needed at start-up

        rows = [
            ShortcutRow(
                action_id=spec.id,
                text=spec.text.replace("&", ""),
                category=spec.menu.replace("&", ""),
                shortcuts=self._registry().shortcuts(spec.id),
                defaults=spec.shortcuts,
            )
            for spec in ACTIONS
        ]
        annotations = self.controller.annotations
        label_set = annotations.label_set if annotations is not None else self._label_set()
        rows += [
            ShortcutRow(
                action_id=f"label.{label.name}",
                text=f"Label as {label.name}",
                category="Label (from the label set)",
                shortcuts=(label.hotkey,) if label.hotkey else (),
                defaults=(label.hotkey,) if label.hotkey else (),
                editable=False,
            )
            for label in label_set.labels
        ]
        rows += [
            ShortcutRow(
                action_id=f"attribute.{attribute.name}",
                text=f"Attribute {attribute.name}: next value on the selected span",
                category="Label (from the label set)",
                shortcuts=(attribute.hotkey,),
                defaults=(attribute.hotkey,),
                editable=False,
            )
            for attribute in label_set.attributes
            if attribute.on == "span" and attribute.type != "text" and attribute.hotkey
        ]
        dialog = ShortcutSheetDialog(rows, self._registry().check, self.parent)
        dialog.shortcut_changed.connect(self._rebind)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _rebind(self, action_id: str, shortcuts: list) -> None:
        refusal = self._registry().rebind(action_id, list(shortcuts))
        if refusal:
            self.notices.show_message("Shortcut not changed", refusal)
            return
        self.settings.shortcuts = self._registry().custom_bindings()
        self._save_settings()
        keys = ", ".join(native(k) for k in shortcuts) or "no shortcut"
        self.status.showMessage(f"{self._registry().specs[action_id].text.replace('&', '')}: {keys}.", 4000)

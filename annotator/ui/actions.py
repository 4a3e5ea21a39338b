"""Every application action declared once: id, menu text, shortcuts, and the window method that handles it.

Menus are built from this table (the label hotkeys come from the label set instead), so a shortcut sheet or
rebinding can read the same source.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ActionSpec:
    """One action: ``id``, menu ``text`` (``&`` marks the mnemonic), ``shortcuts`` (Qt key strings, first is primary),
    the ``menu`` it appears in, and the name of the :class:`~annotator.ui.main_window.MainWindow` method to call."""

    id: str
    text: str
    shortcuts: tuple[str, ...]
    menu: str
    handler: str


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("file.open", "&Open…", ("Ctrl+O",), "&File", "open_dialog"),
    ActionSpec("file.save", "&Save", ("Ctrl+S",), "&File", "save"),
    ActionSpec("file.save_as", "Save &As…", ("Ctrl+Shift+S",), "&File", "save_as"),
    ActionSpec("file.quit", "&Quit", ("Ctrl+Q",), "&File", "close"),
    ActionSpec("edit.delete", "&Delete Span", ("Delete",), "&Edit", "delete_selected_spans"),
    ActionSpec("edit.deselect", "Clear Span Selection", ("Escape",), "&Edit", "clear_span_selection"),
    ActionSpec("view.zoom_in", "Zoom &In", ("Ctrl+=", "Ctrl++"), "&View", "zoom_in"),
    ActionSpec("view.zoom_out", "Zoom &Out", ("Ctrl+-",), "&View", "zoom_out"),
    ActionSpec("view.zoom_reset", "&Reset Zoom", ("Ctrl+0",), "&View", "zoom_reset"),
)
"""The application's actions; undo and redo come from the undo stack (Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y)."""

UNDO_SHORTCUTS = ("Ctrl+Z",)
REDO_SHORTCUTS = ("Ctrl+Shift+Z", "Ctrl+Y")

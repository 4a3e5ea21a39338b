"""Building ``QAction``s from the action table (with its exclusive groups), putting them into menus and the toolbar
with the table's separators, applying the user's shortcut bindings, and refusing clashes."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu, QToolBar, QWidget

from annotator.model.labels import LabelSet
from annotator.ui.actions import ACTIONS, ActionSpec


@functools.lru_cache(maxsize=4096)
def normalized(sequence: str) -> str:
    """``sequence`` in Qt's portable form (``"ctrl+s"`` → ``"Ctrl+S"``), or ``""`` when it is not a key sequence.

    Backtab is what Shift+Tab produces, so ``"Shift+Backtab"`` and ``"Backtab"`` are read as ``"Shift+Tab"``.
    Remembered per text (the portable form does not depend on the platform or the locale): start-up checks every
    label key against every binding (issue 22).
    """
    text = QKeySequence(sequence).toString(QKeySequence.SequenceFormat.PortableText)
    if text.endswith("Backtab"):
        text = text.removesuffix("Backtab").replace("Shift+", "") + "Shift+Tab"
    return text


def native(sequence: str) -> str:
    """``sequence`` as shown to the user on this platform (e.g. ``"Ctrl+S"``, ``"⌘S"`` on macOS)."""
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


class ActionRegistry(QObject):
    """The window's actions, one per :class:`~annotator.ui.actions.ActionSpec`, with rebindable shortcuts.

    Parameters
    ----------
    owner: the window; actions are parented to it and window-wide actions are added to it.
    handler_for: returns the callable for a spec's ``handler`` name.
    context_widgets: widgets for the ``"view"`` and ``"spans"`` contexts (actions with those contexts are added to
        each widget with ``Qt.WidgetWithChildrenShortcut``).
    bindings: the user's shortcuts by action id (portable strings), overriding the table's defaults.
    specs: the action table (default: the main window's :data:`~annotator.ui.actions.ACTIONS`).

    The actions of one ``group`` of the table are gathered into one exclusive ``QActionGroup``
    (:attr:`groups`, by group name).
    """

    def __init__(
        self,
        owner: QWidget,
        handler_for: Callable[[str], Callable[..., object]],
        context_widgets: Mapping[str, Iterable[QWidget]],
        bindings: Mapping[str, list[str]] | None = None,
        specs: tuple[ActionSpec, ...] = ACTIONS,
    ) -> None:
        super().__init__(owner)
        self.actions: dict[str, QAction] = {}
        self.specs: dict[str, ActionSpec] = {}
        self.groups: dict[str, QActionGroup] = {}
        self.label_set: LabelSet | None = None
        for spec in specs:
            action = QAction(spec.text, owner)
            action.setObjectName(spec.id)
            action.setCheckable(spec.checkable)
            if spec.tip:
                action.setStatusTip(spec.tip)
            action.triggered.connect(handler_for(spec.handler))
            if spec.group:
                if spec.group not in self.groups:
                    self.groups[spec.group] = QActionGroup(owner)
                    self.groups[spec.group].setExclusive(True)
                self.groups[spec.group].addAction(action)
            if spec.context == "window":
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                owner.addAction(action)
            else:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                for widget in context_widgets.get(spec.context, ()):
                    widget.addAction(action)
            self.actions[spec.id] = action
            self.specs[spec.id] = spec
        self._bindings: dict[str, tuple[str, ...]] = {spec.id: spec.shortcuts for spec in specs}
        for action_id, keys in (bindings or {}).items():
            if action_id in self._bindings and all(normalized(k) for k in keys):
                self._bindings[action_id] = tuple(normalized(k) for k in keys)
        self._drop_clashing_bindings()
        for action_id in self.actions:
            self._apply(action_id)

    def add_to_menus(self, menu_for: Callable[[str], QMenu], toolbar: QToolBar | None = None) -> None:
        """Add every action, in table order, to its menu (after a separator where its spec has
        ``separator_before``) and, when its spec says ``toolbar``, to ``toolbar``.

        ``menu_for`` returns the menu of a spec's ``menu`` title (making it on first use, so that menus come in the
        order of the table).
        """
        for action_id, spec in self.specs.items():
            menu = menu_for(spec.menu)
            if spec.separator_before:
                menu.addSeparator()
            menu.addAction(self.actions[action_id])
            if spec.toolbar and toolbar is not None:
                toolbar.addAction(self.actions[action_id])

    # -- reading ------------------------------------------------------------------------------------------------
    def shortcuts(self, action_id: str) -> tuple[str, ...]:
        """The current shortcuts of ``action_id`` (portable strings)."""
        return self._bindings[action_id]

    def custom_bindings(self) -> dict[str, list[str]]:
        """The bindings that differ from the table's defaults, for the settings file."""
        return {
            action_id: list(keys)
            for action_id, keys in self._bindings.items()
            if tuple(map(normalized, keys)) != tuple(map(normalized, self.specs[action_id].shortcuts))
        }

    def owner_of(self, sequence: str, *, ignore: str = "", mnemonics: Mapping[str, str] | None = None) -> str | None:
        """Plain-text name of what already uses ``sequence`` (an action's text or ``label X``), else ``None``;
        the action ``ignore`` is skipped. ``mnemonics``: :meth:`mnemonics` taken once for many keys (it reads every
        widget of the window)."""
        key = normalized(sequence)
        if not key:
            return None
        for action_id, keys in self._bindings.items():
            if action_id != ignore and key in map(normalized, keys):
                return f"“{self.specs[action_id].text.replace('&', '')}”"
        if self.label_set is not None:
            for label in self.label_set.labels:
                if label.hotkey and normalized(label.hotkey) == key:
                    return f"label “{label.name}”"
            for attribute in self.label_set.attributes:
                if attribute.on == "span" and attribute.hotkey and normalized(attribute.hotkey) == key:
                    return f"attribute “{attribute.name}”"
        return (self.mnemonics() if mnemonics is None else mnemonics).get(key)

    def mnemonics(self) -> dict[str, str]:
        """The Alt+letter keys the window's menus and its labels and buttons take for their mnemonics (the letter
        after ``&`` in "&File", "&Note"), normalized, each with a plain-text name of what takes it: a shortcut bound
        to one of them would never fire."""
        taken: dict[str, str] = {}

        def add(text: str, what: str) -> None:
            index = text.replace("&&", "").find("&")
            plain = text.replace("&&", "").replace("&", "")
            if index != -1 and index < len(plain):
                taken.setdefault(normalized(f"Alt+{plain[index]}"), f"the mnemonic of {what} “{plain}”")

        for spec in self.specs.values():
            add(spec.menu, "the menu")
        owner = self.parent()
        if isinstance(owner, QWidget):  # only labels and buttons asked for: no Python object made for the others
            for label in owner.findChildren(QLabel):
                if "&" in label.text() and label.buddy() is not None:
                    add(label.text(), "the field")
            for button in owner.findChildren(QAbstractButton):
                if "&" in button.text():
                    add(button.text(), "the button")
        return taken

    def check(self, action_id: str, sequence: str) -> str | None:
        """Why ``action_id`` may not take ``sequence`` (a plain-text message naming both), or ``None`` if it may."""
        if not normalized(sequence):
            return f"“{sequence}” is not a key combination."
        owner = self.owner_of(sequence, ignore=action_id)
        if owner is None:
            return None
        mine = self.specs[action_id].text.replace("&", "")
        if owner.startswith("the mnemonic of "):
            return f"{native(sequence)} is {owner}; as a shortcut of “{mine}” it would never fire."
        return f"{native(sequence)} is already the shortcut of {owner}; it cannot also be “{mine}”."

    def label_set_clashes(self, label_set: LabelSet) -> list[str]:
        """Messages for each label hotkey (and span attribute hotkey) of ``label_set`` that an application shortcut
        already uses."""
        clashes = []
        keyed = [(label.hotkey, f"label “{label.name}”") for label in label_set.labels]
        keyed += [(a.hotkey, f"attribute “{a.name}”") for a in label_set.attributes if a.on == "span"]
        for hotkey, what in keyed:
            if not hotkey:
                continue
            key = normalized(hotkey)
            for action_id, keys in self._bindings.items():
                if key and key in map(normalized, keys):
                    action = self.specs[action_id].text.replace("&", "")
                    clashes.append(f"hotkey {hotkey} of {what} is the shortcut of “{action}”")
        return clashes

    # -- changing -----------------------------------------------------------------------------------------------
    def rebind(self, action_id: str, shortcuts: list[str]) -> str | None:
        """Give ``action_id`` these shortcuts; returns a refusal message (and changes nothing) on a clash."""
        for sequence in shortcuts:
            refusal = self.check(action_id, sequence)
            if refusal:
                return refusal
        self._bindings[action_id] = tuple(normalized(s) for s in shortcuts)
        self._apply(action_id)
        return None

    def _apply(self, action_id: str) -> None:
        self.actions[action_id].setShortcuts([QKeySequence(k) for k in self._bindings[action_id]])

    def _drop_clashing_bindings(self) -> None:
        """A hand-edited settings file may bind one key twice: the later action loses the user's binding."""
        seen: dict[str, str] = {}
        for action_id in list(self._bindings):
            keys = self._bindings[action_id]
            if any(normalized(k) in seen for k in keys):
                self._bindings[action_id] = tuple(
                    k for k in self.specs[action_id].shortcuts if normalized(k) not in seen
                )
            for key in self._bindings[action_id]:
                seen[normalized(key)] = action_id

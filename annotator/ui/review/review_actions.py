"""The review window's actions, declared once (as :data:`annotator.ui.actions.ACTIONS` is for the main window):
its menus and toolbar are built from this table. Handlers are :class:`~annotator.ui.review.review_window.ReviewWindow`
method names.

Single keys (N, P, A, R, 1-9...) are safe here: nothing in the review window takes typed text.
"""

from __future__ import annotations

from annotator.ui.actions import ActionSpec

MAX_VERSION_KEYS = 9
"""Annotators 1-9 get a key (and a menu entry) to take their version; the others have a button each."""

REVIEW_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("review.save", "&Save Gold", ("Ctrl+S",), "&File", "save", toolbar=True, tip="Write the gold file"),
    ActionSpec(
        "review.export",
        "&Export Gold…",
        ("Ctrl+Shift+E",),
        "&File",
        "export_gold",
        toolbar=True,
        tip="Gold as it is now, to CoNLL, JSONL, brat, Label Studio, doccano, CSV or spaCy",
    ),
    ActionSpec(
        "review.open_gold",
        "&Open Gold in the Main Window",
        ("Ctrl+E",),
        "&File",
        "open_gold_in_main_window",
        tip="Save gold and open its file in the main window, to add or link spans by hand (it leaves the open project)",
    ),
    ActionSpec("review.close", "&Close Review", ("Ctrl+W",), "&File", "close"),
    ActionSpec("review.undo", "&Undo", ("Ctrl+Z",), "&Edit", "undo"),
    ActionSpec("review.redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "&Edit", "redo"),
    ActionSpec(
        "review.next",
        "&Next Disagreement",
        ("N", "F8"),
        "&Review",
        "next_disagreement",
        toolbar=True,
        tip="Go to the next disagreement (wraps around)",
    ),
    ActionSpec(
        "review.previous",
        "&Previous Disagreement",
        ("P", "Shift+F8"),
        "&Review",
        "previous_disagreement",
        toolbar=True,
        tip="Go to the previous disagreement (wraps around)",
    ),
    ActionSpec(
        "review.next_undecided",
        "Next &Undecided Disagreement",
        ("U",),
        "&Review",
        "next_undecided",
        tip="Go to the next disagreement not decided yet (wraps around)",
    ),
    ActionSpec(
        "review.values",
        "Attribute and Document-Label &Values",
        ("V",),
        "&Review",
        "go_to_values",
        tip="Go to the next undecided attribute or document-label disagreement; 1-9 then take that annotator's value",
    ),
    ActionSpec(
        "review.accept",
        "&Accept Span",
        ("A",),
        "&Review",
        "accept_candidate",
        toolbar=True,
        tip="Put the selected candidate span into gold",
    ),
    ActionSpec(
        "review.reject",
        "&Reject Span",
        ("R", "Delete"),
        "&Review",
        "reject_candidate",
        toolbar=True,
        tip="Leave the selected candidate span out of gold",
    ),
    ActionSpec(
        "review.leave_out",
        "&Leave Out Every Span",
        ("X",),
        "&Review",
        "leave_out",
        tip="Gold has none of this disagreement's spans",
    ),
    *(
        ActionSpec(
            f"review.take_{number}",
            f"Take Annotator {number}'s Version",
            (str(number),),
            "&Review",
            f"take_version_{number}",
            tip=f"Gold takes exactly the spans of annotator {number} (band {number}) here, or their value of the "
            "attribute or document label chosen in the values list",
        )
        for number in range(1, MAX_VERSION_KEYS + 1)
    ),
)
"""The review window's actions, in menu order."""

"""Command line: ``annotator [FILE_OR_FOLDER] [--annotator NAME] [--labels FILE]`` starts the app (also
``python -m annotator``); ``annotator export|import|validate ...`` run without a window (:mod:`annotator.cli`).

Parsing happens here without Qt; the GUI is imported only once it is needed.
"""

from __future__ import annotations

import argparse
import sys

from annotator.app_info import VersionAction

COMMANDS = (
    "export",
    "import",
    "validate",
    "agree",
    "merge",
    "suggest",
    "trust",
)  # as annotator.cli.main (a test checks)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``annotator`` command."""
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Label spans of news text as actor, claim, warning or denial.",
        epilog="Without a window: 'annotator export --help', 'annotator import --help', 'annotator validate --help', "
        "'annotator agree --help', 'annotator merge --help', 'annotator suggest --help', 'annotator trust --help'. "
        "To open a file named like one of these commands, write ./export.",
    )
    parser.add_argument(
        "file",
        nargs="?",
        help="a text file (.txt), an annotation file (.annotations.json), or a folder to open as a project",
    )
    parser.add_argument(
        "--annotator", metavar="NAME", help="your name, recorded in annotation files (remembered for next time)"
    )
    parser.add_argument(
        "--labels",
        metavar="FILE",
        help="a label set (JSON or TOML) to annotate with (remembered for next time); see README",
    )
    parser.add_argument(
        "--review",
        nargs="+",
        metavar="ANNOTATIONS",
        help="compare these annotation files of one document (two or more annotators) and adjudicate a gold file",
    )
    parser.add_argument("--version", action=VersionAction, help="show the version and exit")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open FILE, save its annotation file and quit (exit status 0 when saved): checks an install or a bundle",
    )
    entry = parser.add_mutually_exclusive_group()
    entry.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add annotator to your desktop's application menu and let it open *.annotations.json files "
        "(freedesktop.org: Linux and BSD), then exit",
    )
    entry.add_argument(
        "--uninstall-desktop-entry", action="store_true", help="remove what --install-desktop-entry added, then exit"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Start the app, or run a command (``export``, ``import``, ``validate``); returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        from annotator.cli.main import main as run_command

        return run_command(argv)
    args = build_parser().parse_args(argv)
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        from annotator.desktop_entry import run_desktop_entry_command

        return run_desktop_entry_command("install" if args.install_desktop_entry else "uninstall")
    from annotator.io.gc_pause import garbage_collection_paused

    with garbage_collection_paused():  # as while run_app starts the window
        from annotator.ui.app import run_app  # Qt is imported only here

    return run_app(
        args.file, annotator=args.annotator, labels=args.labels, review=args.review, smoke_test=args.smoke_test
    )


if __name__ == "__main__":
    sys.exit(main())

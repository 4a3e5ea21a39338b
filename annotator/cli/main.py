"""The command line's subcommands: ``annotator export``, ``import``, ``validate``, ``agree``, ``merge``,
``suggest`` and ``trust``.

None of them imports Qt; errors are one line on stderr with exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from annotator.app_info import VersionAction
from annotator.cli import (
    agree_command,
    export_command,
    import_command,
    merge_command,
    suggest_command,
    trust_command,
    validate_command,
)
from annotator.cli.output import fail

COMMANDS = ("export", "import", "validate", "agree", "merge", "suggest", "trust")


def build_parser() -> argparse.ArgumentParser:
    """The parser of the subcommands."""
    parser = argparse.ArgumentParser(prog="annotator", description="Export, import and validate annotations.")
    parser.add_argument("--version", action=VersionAction, help="show the version and exit")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    export_command.add_parser(commands)
    import_command.add_parser(commands)
    validate_command.add_parser(commands)
    agree_command.add_parser(commands)
    merge_command.add_parser(commands)
    suggest_command.add_parser(commands)
    trust_command.add_parser(commands)
    return parser


def main(argv: list[str]) -> int:
    """Run the subcommand in ``argv`` (``["export", ...]``); returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return fail("interrupted")
    except BrokenPipeError:  # the reader stopped early (| head): not an error
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python's documented recipe for SIGPIPE
        return 0
    except Exception as error:  # the last guard: one line, never a traceback
        return fail(f"unexpected {type(error).__name__}: {error} (please report this)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

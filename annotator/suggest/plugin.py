"""Plug-in suggesters: any local command that reads JSONL documents and writes JSONL suggestions.

The protocol (documented in the README, "Plug-in suggesters"):

- **stdin**: one JSON object a line per document, as the JSONL export writes it (:func:`annotator.formats.jsonl.
  record_object`: ``{"id", "text", ...}``, plus ``"spans"`` when annotated), UTF-8; then end of input.
- **stdout**: one JSON object a line per document, in any order, as ``annotator suggest`` writes it: ``{"id",
  "suggestions": [{"id", "start", "end", "label", "score", "reason"}...], "suggested_relations": [{"type", "from",
  "to"}...]}``; offsets are code points into the document's text, half-open; ``score`` in ``[0, 1]`` (default 0.5);
  ``id`` and ``reason`` optional; a document left out has no suggestions. Other keys are ignored.
- The command must finish within the time limit (:data:`DEFAULT_TIMEOUT` seconds); its exit status must be 0.

Every failure (not found, time limit, non-zero exit with the last lines of stderr, output that is not this JSONL)
raises :class:`PluginError` with one plain-text line; the process is killed on a time-out, never waited on.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator.formats.jsonl import json_line, record_object
from annotator.formats.records import DocumentRecord
from annotator.suggest.suggestion import SuggestedLink, Suggestion, SuggestionContext

PREFIX = "cmd:"
DEFAULT_TIMEOUT = 30.0
"""Seconds a plug-in may run on one batch of documents."""
STDERR_LINES = 3
"""How many of the last lines of a crashed plug-in's stderr the message quotes."""


class PluginError(Exception):
    """A plug-in suggester failed; ``str(error)`` is one plain-text line for the user."""


class CommandSuggester:
    """The suggester running ``command`` (a shell-like string, split by :func:`shlex.split`, never run by a shell).

    Parameters
    ----------
    command: the command line, e.g. ``"python3 examples/said_plugin.py"``.
    timeout: seconds allowed per call (per batch of documents).
    cwd: the working directory it runs in (a project's folder for a plug-in the project names); ``None``: this
        process's.
    name: the suggester's name in its suggestions (a project's plug-in name); ``None``: ``"cmd:" + command``.
    """

    def __init__(
        self, command: str, timeout: float = DEFAULT_TIMEOUT, cwd: str | Path | None = None, name: str | None = None
    ) -> None:
        self.command = command
        self.timeout = timeout
        self.cwd = cwd
        self.name = name or PREFIX + command

    def suggest(self, text: str, context: SuggestionContext) -> list[Suggestion]:
        """Suggestions for one document (see :meth:`suggest_records`)."""
        record = DocumentRecord("document", text, tuple(context.spans), annotated=bool(context.spans))
        return self.suggest_records([record])["document"]

    def suggest_records(self, records: Sequence[DocumentRecord]) -> dict[str, list[Suggestion]]:
        """``{record id: suggestions}`` for ``records``, from one run of the command.

        Raises
        ------
        PluginError
            If the command cannot be started, runs past the time limit, exits with a non-zero status, or writes
            output that is not the protocol's JSONL.
        """
        try:
            argv = shlex.split(self.command)
        except ValueError as error:
            raise PluginError(f"plug-in command {self.command!r} cannot be parsed: {error}") from None
        if not argv:
            raise PluginError("the plug-in command is empty")
        given = "".join(json_line(record_object(r)) + "\n" for r in records)
        try:
            done = subprocess.run(
                argv, input=given.encode("utf-8"), capture_output=True, timeout=self.timeout, check=False, cwd=self.cwd
            )
        except FileNotFoundError:
            raise PluginError(f"plug-in {self.command!r}: {argv[0]!r} was not found") from None
        except PermissionError:
            raise PluginError(f"plug-in {self.command!r}: {argv[0]!r} cannot be run (permission denied)") from None
        except subprocess.TimeoutExpired:  # subprocess.run kills the process before raising
            raise PluginError(
                f"plug-in {self.command!r} did not finish within {self.timeout:g} s and was stopped"
            ) from None
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-STDERR_LINES:]
            said = f": {' / '.join(line.strip() for line in tail)}" if tail else " (nothing on stderr)"
            raise PluginError(f"plug-in {self.command!r} failed with exit status {done.returncode}{said}")
        texts = {r.id: r.text for r in records}
        return self._parse(done.stdout, texts)

    def _parse(self, output: bytes, texts: dict[str, str]) -> dict[str, list[Suggestion]]:
        out: dict[str, list[Suggestion]] = {record_id: [] for record_id in texts}
        try:
            decoded = output.decode("utf-8")
        except UnicodeDecodeError as error:
            raise PluginError(f"plug-in {self.command!r} wrote output that is not UTF-8 (byte {error.start})") from None
        for number, line in enumerate(decoded.splitlines(), 1):
            if not line.strip():
                continue
            where = f"plug-in {self.command!r} output line {number}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise PluginError(f"{where}: not JSON ({error.msg}): {line[:60]!r}") from None
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise PluginError(f'{where}: not an object with a string "id"')
            if item["id"] not in texts:
                raise PluginError(f"{where}: no document has the id {item['id']!r}")
            out[item["id"]] = _suggestions(item, texts[item["id"]], self.name, where)
        return out


def _suggestions(item: dict[str, Any], text: str, name: str, where: str) -> list[Suggestion]:
    given = item.get("suggestions", [])
    relations = item.get("suggested_relations", [])
    if not isinstance(given, list) or not isinstance(relations, list):
        raise PluginError(f'{where}: "suggestions" and "suggested_relations" must be lists')
    links: dict[str, list[SuggestedLink]] = {}
    for relation in relations:
        if not isinstance(relation, dict) or not all(isinstance(relation.get(k), str) for k in ("type", "from", "to")):
            raise PluginError(f'{where}: a suggested relation needs string "type", "from" and "to"')
        links.setdefault(relation["from"], []).append(SuggestedLink(relation["type"], relation["from"], relation["to"]))
    out = []
    for number, raw in enumerate(given, 1):
        what = f"{where}, suggestion {number}"
        if not isinstance(raw, dict):
            raise PluginError(f"{what}: not an object")
        start, end, label = raw.get("start"), raw.get("end"), raw.get("label")
        score = raw.get("score", 0.5)
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
            raise PluginError(f"{what}: needs integer code points 0 <= start < end <= {len(text)}")
        if not isinstance(label, str) or not label:
            raise PluginError(f'{what}: needs a "label"')
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
            raise PluginError(f'{what}: "score" must be a number in [0, 1]')
        own = str(raw["id"]) if isinstance(raw.get("id"), str) else ""
        reason = str(raw["reason"]) if isinstance(raw.get("reason"), str) else "suggested by a plug-in"
        out.append(
            Suggestion(start, end, label, float(score), name, reason, own, tuple(links.get(own, ()) if own else ()))
        )
    return out

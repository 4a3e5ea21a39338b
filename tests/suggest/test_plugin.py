"""Plug-in suggesters: the JSONL protocol, and a plug-in that hangs, crashes or prints garbage."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from annotator.formats.records import DocumentRecord
from annotator.suggest.plugin import CommandSuggester, PluginError
from annotator.suggest.suggestion import SuggestedLink, SuggestionContext

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "said_plugin.py"


def plugin(tmp_path: Path, body: str, timeout: float = 30.0) -> CommandSuggester:
    script = tmp_path / "plugin.py"
    script.write_text("import json, sys, time\n" + body, encoding="utf-8")
    return CommandSuggester(f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}", timeout)


def test_the_example_plugin_suggests_capitalized_words_before_said():
    suggester = CommandSuggester(f"{shlex.quote(sys.executable)} {shlex.quote(str(EXAMPLE))}")
    text = "🇺🇦 Ned Price said it. “Fine,” Gina Raimondo said."
    made = suggester.suggest(text, SuggestionContext())
    assert [text[s.start : s.end] for s in made] == ["Ned Price", "Gina Raimondo"]
    assert all(s.label == "actor" and s.suggester.startswith("cmd:") for s in made)


def test_a_plugin_reads_jsonl_records_and_its_links_follow_its_suggestions(tmp_path):
    body = (
        "for line in sys.stdin:\n"
        "    d = json.loads(line)\n"
        "    print(json.dumps({'id': d['id'], 'suggestions': [\n"
        "        {'id': 'x1', 'start': 0, 'end': 3, 'label': 'actor', 'score': 0.9},\n"
        "        {'id': 'x2', 'start': 9, 'end': len(d['text']), 'label': 'claim', 'reason': d['text'][:3]}],\n"
        "        'suggested_relations': [{'type': 'source', 'from': 'x2', 'to': 'x1'}]}))\n"
    )
    records = [DocumentRecord("a", "Kim said it rains"), DocumentRecord("b", "Lee said it snows")]
    made = plugin(tmp_path, body).suggest_records(records)
    assert [(s.start, s.end, s.label, s.score) for s in made["a"]] == [(0, 3, "actor", 0.9), (9, 17, "claim", 0.5)]
    assert made["b"][1].reason == "Lee" and made["b"][1].links == (SuggestedLink("source", "x2", "x1"),)


def test_a_plugin_that_hangs_is_stopped_at_the_time_limit(tmp_path):
    with pytest.raises(PluginError, match=r"did not finish within 0.5 s and was stopped"):
        plugin(tmp_path, "time.sleep(60)\n", timeout=0.5).suggest("text", SuggestionContext())


def test_a_plugin_that_crashes_is_reported_with_its_last_stderr_lines(tmp_path):
    body = "print('first', file=sys.stderr)\nprint('model not found', file=sys.stderr)\nsys.exit(3)\n"
    with pytest.raises(PluginError, match=r"failed with exit status 3: first / model not found$"):
        plugin(tmp_path, body).suggest("text", SuggestionContext())


@pytest.mark.parametrize(
    ("printed", "message"),
    [
        ("print('hello')", r"output line 1: not JSON"),
        ("print(json.dumps([1]))", r'output line 1: not an object with a string "id"'),
        ("print(json.dumps({'id': 'other'}))", r"no document has the id 'other'"),
        (
            "print(json.dumps({'id': 'document', 'suggestions': [{'start': 2, 'end': 99, 'label': 'x'}]}))",
            r"suggestion 1: needs integer code points 0 <= start < end <= 4",
        ),
        (
            "print(json.dumps({'id': 'document', 'suggestions': [{'start': 0, 'end': 2, 'label': 'x', 'score': 7}]}))",
            r'"score" must be a number in \[0, 1\]',
        ),
        ("sys.stdout.buffer.write(b'\\xff\\n')", r"not UTF-8"),
    ],
)
def test_a_plugin_that_prints_garbage_gives_one_clear_message(tmp_path, printed, message):
    with pytest.raises(PluginError, match=message):
        plugin(tmp_path, "sys.stdin.read()\n" + printed + "\n").suggest("text", SuggestionContext())


def test_a_missing_program_is_named():
    with pytest.raises(PluginError, match=r"'no-such-program-here' was not found"):
        CommandSuggester("no-such-program-here --x").suggest("text", SuggestionContext())


def test_a_plugin_runs_in_the_given_folder_under_the_given_name(tmp_path):
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "p.py").write_text(
        "import json, sys\nfor line in sys.stdin:\n"
        "    found = [{'start': 0, 'end': 1, 'label': 'x'}]\n"
        "    print(json.dumps({'id': json.loads(line)['id'], 'suggestions': found}))\n",
        encoding="utf-8",
    )
    suggester = CommandSuggester(f"{shlex.quote(sys.executable)} tools/p.py", cwd=tmp_path, name="mine")
    (found,) = suggester.suggest("Hi", SuggestionContext())
    assert (found.suggester, suggester.name) == ("mine", "mine")

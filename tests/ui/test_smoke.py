"""annotator --smoke-test FILE: the document is saved and the exit status says whether it was."""

from __future__ import annotations

import json

from annotator.__main__ import main
from annotator.ui import app
from annotator.ui.smoke import run_smoke_test


def test_the_open_document_is_saved_and_0_returned(window, tmp_path, capsys):
    text = tmp_path / "article.txt"
    text.write_text("Officials said it was safe.\n", encoding="utf-8")
    window.open_path(str(text))
    assert run_smoke_test(window) == 0
    saved = tmp_path / "article.annotations.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["spans"] == []
    assert capsys.readouterr().out == f"smoke test: saved {saved}\n"


def test_nothing_open_is_1(window, capsys):
    assert run_smoke_test(window) == 1
    assert capsys.readouterr().err == "smoke test: no document is open\n"


def test_the_option_reaches_the_app(monkeypatch):
    calls = []
    monkeypatch.setattr(app, "run_app", lambda *args, **kwargs: calls.append((args, kwargs)) or 0)
    assert main(["--smoke-test", "a.txt"]) == 0
    assert calls == [(("a.txt",), {"annotator": None, "labels": None, "review": None, "smoke_test": True})]

"""Start-up imports only what showing the window needs: the suggesters' model, its measures and the file-name
sanitizer are imported on first use (issue 22: start-up within 2.5x a bare Qt window)."""

from __future__ import annotations

import os
import subprocess
import sys

NOT_AT_STARTUP = ("annotator.suggest.model", "annotator.review.measure", "annotator.suggest.evaluation", "pathvalidate")


def test_showing_the_window_imports_no_model_measure_or_sanitizer(tmp_path):
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from annotator.ui.main_window import MainWindow\n"
        "window = MainWindow('tester')\n"
        "window.show()\n"
        "app.processEvents()\n"
        f"print(' '.join(m for m in {NOT_AT_STARTUP!r} if m in sys.modules))\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ANNOTATOR_CONFIG_DIR": str(tmp_path / "config"),
        "ANNOTATOR_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == ""


def test_the_model_suggester_name_known_without_the_model():
    from annotator.suggest.model import NAME
    from annotator.ui.main.suggester_names import MODEL

    assert MODEL == NAME

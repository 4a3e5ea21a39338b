"""The user's consent to a project's commands: exact command, per project folder, in the user's settings."""

from __future__ import annotations

from annotator.io.settings import Settings, load_settings, save_settings
from annotator.project.trust import is_trusted, project_key, revoke, shown_command, trust

COMMAND = "python tools/spacy_suggest.py"


def test_nothing_is_trusted_until_agreed_then_only_that_exact_command_for_that_folder(tmp_path):
    settings = Settings()
    project, other = tmp_path / "project", tmp_path / "moved"
    project.mkdir()
    other.mkdir()
    assert not is_trusted(settings, project, COMMAND)
    trust(settings, project, COMMAND)
    assert is_trusted(settings, project, COMMAND)
    assert not is_trusted(settings, project, COMMAND + " --all")  # a changed command is a new one
    assert not is_trusted(settings, project, COMMAND + " ")
    assert not is_trusted(settings, other, COMMAND)  # a moved (or another) project is asked again
    assert settings.trusted_commands == {str(project.resolve()): [COMMAND]}


def test_the_key_is_the_resolved_folder(tmp_path):
    (tmp_path / "project").mkdir()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "project")
    settings = Settings()
    trust(settings, tmp_path / "project" / ".." / "project", COMMAND)
    assert is_trusted(settings, link, COMMAND)
    assert project_key(link) == str((tmp_path / "project").resolve())


def test_trusting_twice_keeps_one_entry_and_revoke_forgets(tmp_path):
    settings = Settings()
    trust(settings, tmp_path, COMMAND)
    trust(settings, tmp_path, COMMAND)
    trust(settings, tmp_path, "other")
    assert settings.trusted_commands[project_key(tmp_path)] == [COMMAND, "other"]
    assert revoke(settings, tmp_path, COMMAND)
    assert not revoke(settings, tmp_path, COMMAND)
    assert not is_trusted(settings, tmp_path, COMMAND) and is_trusted(settings, tmp_path, "other")
    assert revoke(settings, tmp_path)
    assert settings.trusted_commands == {}
    assert not revoke(settings, tmp_path)


def test_consent_is_kept_in_the_users_settings_file(tmp_path):
    settings = load_settings()
    trust(settings, tmp_path, COMMAND)
    save_settings(settings)
    assert is_trusted(load_settings(), tmp_path, COMMAND)


def test_shown_command_makes_invisible_characters_visible():
    assert shown_command(COMMAND) == COMMAND
    assert shown_command("run\u202e yp.x\n\tok\u200b") == "run\\u202e yp.x\\n\\tok\\u200b"
    assert shown_command("a\U000e0041") == "a\\U000e0041"
    assert shown_command("naïve 東京") == "naïve 東京"

import os
from pathlib import Path

import pytest

from annotator.io.errors import FileFault
from annotator.io.textfile import decode_text, read_text_file
from tests.conftest import DATA

ENCODINGS = DATA / "encodings"
REFERENCE = (ENCODINGS / "article.utf8.txt").read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("name", "encoding", "bom"),
    [
        ("article.utf8.txt", "utf-8", False),
        ("article.utf8-bom.txt", "utf-8", True),
        ("article.utf16le-bom.txt", "utf-16-le", True),
        ("article.utf16be-bom.txt", "utf-16-be", True),
        ("article.cp1252.txt", None, False),
    ],
)
def test_every_encoding_opens_to_the_same_code_points(name, encoding, bom):
    document = read_text_file(ENCODINGS / name)
    assert document.text == REFERENCE
    assert document.source.bom is bom
    assert document.source.file_name == name
    if encoding:
        assert document.source.encoding == encoding
    else:  # detected: any single-byte Windows code page that decodes these bytes to the same text will do
        assert document.source.encoding.startswith("cp125")


def test_crlf_is_kept_in_the_text():
    document = read_text_file(ENCODINGS / "article.crlf.txt")
    assert document.text == REFERENCE.replace("\n", "\r\n")
    assert document.source.line_ending == "CRLF"


def test_sample_article_is_the_seed():
    sample = Path(__file__).parents[2] / "sample_docs" / "000_3048e0f710b42604.txt"
    assert read_text_file(sample).text == REFERENCE


@pytest.mark.parametrize("name", ["image-renamed.txt", "nul-bytes.txt"])
def test_binary_files_are_refused_with_the_file_named(name):
    with pytest.raises(FileFault) as error:
        read_text_file(DATA / "bad-inputs" / name)
    assert name in error.value.message
    assert "binary" in error.value.message


def test_empty_file_opens_as_empty_document():
    document = read_text_file(DATA / "bad-inputs" / "empty.txt")
    assert document.text == ""
    assert document.source.line_ending == "none"


def test_missing_file_is_a_clear_fault(tmp_path):
    with pytest.raises(FileFault, match="could not read it"):
        read_text_file(tmp_path / "nope.txt")


def test_text_is_kept_exactly():
    raw = "a\r\nb\rc\u2028d\u2029e\xa0f\tg\u200b\n"
    text, source = decode_text(raw.encode("utf-8"))
    assert text == raw
    assert source.line_ending == "mixed"
    text, source = decode_text(b"\xef\xbb\xbf" + raw.encode("utf-8"))
    assert text == raw and source.bom


def test_control_character_noise_is_binary():
    with pytest.raises(ValueError, match="binary"):
        decode_text(bytes(range(1, 32)) * 20)


def test_undecodable_file_name_is_recorded_as_valid_text(tmp_path):
    path = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    path.write_bytes(b"Yang denied it.")
    document = read_text_file(path)
    assert document.source.file_name == "caf\ufffd.txt"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("El ministro español negó las acusaciones y dijo que la reunión fue cordial.", "latin-1"),
        ("São Paulo não confirmou a reunião.", "latin-1"),
        ("Il a nié.", "latin-1"),
        ("He said “no” – it’s over.", "cp1252"),
        ("Der Außenminister äußerte sich über die Gespräche.", "latin-1"),
    ],
)
def test_short_western_texts_that_fit_several_code_pages_are_read_as_windows_1252(text, encoding):
    decoded, source = decode_text(text.encode(encoding))
    assert decoded == text
    assert source.encoding.replace("_", "").lower() in ("cp1252", "windows1252")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Minister spraw zagranicznych powiedział, że rozmowy były trudne.", "cp1250"),
        ("Министр иностранных дел заявил, что переговоры были трудными.", "cp1251"),
        ("Министр иностранных дел заявил, что переговоры были трудными.", "koi8-r"),
    ],
)
def test_texts_another_code_page_fits_better_keep_it(text, encoding):
    assert decode_text(text.encode(encoding))[0] == text


def test_the_user_is_told_when_the_encoding_was_a_choice(tmp_path):
    from annotator.io.textfile import encoding_doubt

    path = tmp_path / "es.txt"
    path.write_bytes("El ministro español negó las acusaciones.".encode("latin-1"))
    doubt = encoding_doubt(path, "cp1252")
    assert doubt.startswith("es.txt is not UTF-8; it was read as cp1252, but it also fits ")
    assert "save it as UTF-8" in doubt
    utf8 = tmp_path / "u.txt"
    utf8.write_text("español", encoding="utf-8")
    assert encoding_doubt(utf8, "utf-8") == ""


def test_a_dos_code_page_is_chosen_only_when_nothing_usual_fits_as_well():
    short = "El ministro español negó las acusaciones."  # detection ranks cp775 ("espa±ol") first
    text, source = decode_text(short.encode("latin-1"))
    assert text == short and source.encoding == "cp1252"
    russian = "Министр заявил, что переговоры были трудными."
    assert decode_text(russian.encode("cp866"))[0] == russian  # a DOS page when it is the one that fits

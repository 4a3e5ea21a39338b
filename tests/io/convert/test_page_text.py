"""A page's own rendered text (HTML's white-space and line rules, references decoded, no normalisation) and
trafilatura's blocks found in it, with the syntax trafilatura adds kept and what cannot be found counted."""

from __future__ import annotations

import unicodedata

from annotator.io.convert.align import align_blocks, text_key
from annotator.io.convert.page_text import render_page_text


def test_ascii_white_space_collapses_across_inline_elements_and_goes_at_a_lines_edges():
    page = "<body><p>  a \t\r\n b<b> </b> c\f</p><div>\n d  <span> e</span>\n</div></body>"
    assert render_page_text(page) == "a b c\nd e"


def test_nbsp_line_separators_and_format_characters_are_kept_as_they_are():
    text = "\u00a0Zoe\u0308\u2028caf\u00e9\u200dx\u200cy\u200bz\u00ad\u200e\u200f\u00a0"
    assert render_page_text(f"<p>{text}</p>") == text
    assert not unicodedata.is_normalized("NFC", render_page_text(f"<p>{text}</p>"))


def test_references_are_decoded_once():
    assert render_page_text("<p>A&nbsp;&amp;&#x200D;B &amp;amp; &lt;p&gt;</p>") == "A\u00a0&\u200dB &amp; <p>"


def test_blocks_and_br_break_lines_cells_are_tab_separated_and_no_line_is_empty():
    page = (
        "<div><p>one<br>two<br><br>three</p><ul><li>i</li><li>ii</li></ul>"
        "<table><tr><td>a</td><td> b </td></tr><tr><th>c</th></tr></table></div>"
    )
    assert render_page_text(page) == "one\ntwo\nthree\ni\nii\na\tb\nc"


def test_pre_keeps_its_white_space_with_its_newlines_normalised():
    assert render_page_text("<p>x</p><pre>  a  b\r\n\tc\rd\n\n</pre>") == "x\n  a  b\n\tc\nd"


def test_scripts_styles_head_and_comments_are_not_text():
    page = (
        "<html><head><title>T</title><style>p{}</style></head><body><script>var x</script>"
        "<p>a<!-- note -->b</p><noscript>n</noscript><template>t</template></body></html>"
    )
    assert render_page_text(page) == "ab"


def test_an_empty_page_has_no_text():
    assert render_page_text("") == ""


def test_the_key_undoes_nfc_and_leaves_out_white_space_and_unprintable_characters():
    key, sources = text_key("Zoe\u0308\u00a0 Mos\u200bcow")
    assert key == text_key("Zo\u00eb Moscow")[0] == "Zoe\u0308Moscow"
    assert sources == [0, 1, 2, 3, 6, 7, 8, 10, 11, 12]


def test_combining_marks_in_another_order_find_the_same_key():
    assert text_key("a\u0301\u0327")[0] == text_key("a\u0327\u0301")[0] == unicodedata.normalize("NFD", "a\u0301\u0327")


def test_blocks_are_found_in_order_and_a_block_not_found_is_kept_and_counted():
    page = "Home\nZo\u00eb\u00a0said\u200d.\nx &amp; y\nZo\u00eb\u00a0said\u200d again."
    aligned = align_blocks(["Zoë said.", "x & y", "Zoë said again."], page)
    assert aligned.blocks == ("Zo\u00eb\u00a0said\u200d.", "x & y", "Zo\u00eb\u00a0said\u200d again.")
    assert aligned.rewritten == 1


def test_list_markers_and_table_bars_are_trafilaturas_and_the_text_between_them_the_pages():
    page = "one\u00a0item\ntwo\nName\tRole\nZo\u00eb\u200d\tadviser"
    aligned = align_blocks(["- one item\n- two", "| Name | Role | \n|---|---|\n| Zoë | adviser | "], page)
    assert aligned.blocks == ("- one\u00a0item\n- two", "| Name | Role | \n|---|---|\n| Zo\u00eb\u200d | adviser | ")
    assert aligned.rewritten == 0

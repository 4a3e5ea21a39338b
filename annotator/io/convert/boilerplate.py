"""Page furniture that trafilatura lets through as if it were the article: cookie notices and newsletter prompts.

trafilatura leaves out a cookie banner it recognises by its markup (a ``class`` or ``id`` such as ``cookie-banner``),
but on a page with no article, or a short one, it falls back to any "wild" paragraph it finds (its
``recover_wild_text``, run whenever the article's text is under its ``MIN_EXTRACTED_SIZE``, with or without
``fast``/``favor_precision``), and a banner written as a plain ``<div><p>`` is then taken as the article. So each block
trafilatura keeps is also checked here by its words, and a block that is one of these notices is left out of the text
(the source record counts it):

- **a cookie or consent notice**: a block of at most :data:`MAX_NOTICE_CHARS` characters that mentions cookies and
  speaks to the reader as a site does: "we (and our partners) use cookies", "this site uses cookies", "you agree /
  consent / accept", "by continuing / clicking / browsing / using", "Accept / Reject (all) cookies" as a sentence of
  its own, "accept / allow / reject all (necessary, optional) cookies", "cookie settings / preferences", "manage your
  preferences / consent";
- **a newsletter or subscription prompt**: a block of at most :data:`MAX_PROMPT_CHARS` characters that asks the
  reader to subscribe or sign up ("subscribe", "sign up", "sign-up", "register") to "our" or "your" newsletter,
  inbox, e-mail or updates, or is only "Subscribe (now/today)".

A news paragraph about cookie law ("Regulators said sites must let users refuse cookies") names no reader and is kept;
a longer paragraph is never a notice. The rule reads English, as trafilatura's own markup rules do.
"""

from __future__ import annotations

import re

#: The most characters a block may have to be taken for a cookie notice.
MAX_NOTICE_CHARS = 600
#: The most characters a block may have to be taken for a newsletter or subscription prompt.
MAX_PROMPT_CHARS = 300
#: The kinds of notice, as :attr:`SourceRecord.left_out` names them (singular, plural).
COOKIE_NOTICE = ("a cookie or consent notice", "cookie or consent notices")
SUBSCRIBE_PROMPT = ("a newsletter or subscription prompt", "newsletter or subscription prompts")

_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_SITE_SPEAKS = re.compile(
    r"\b(?:we(?: and our (?:partners|vendors))?|(?:this|our) (?:web ?)?(?:site|page|app)) (?:\w+ )?uses? cookies\b"
    r"|\byou(?: hereby)? (?:agree|consent|accept)\b"
    r"|\bby (?:continuing|clicking|browsing|using|scrolling|staying)\b"
    r"|(?:^|[.!?:]\s+)(?:accept|allow|reject|decline|refuse|manage)(?: all)? cookies\b"
    r"|\b(?:accept|allow|reject|decline|refuse) (?:all|necessary|optional|non-essential) cookies\b"
    r"|\bcookie (?:settings|preferences|choices)\b"
    r"|\bmanage (?:your )?(?:preferences|consent|choices|settings)\b",
    re.IGNORECASE,
)
_SUBSCRIBE = re.compile(
    r"\b(?:subscribe|sign[ -]?up|register)\b.{0,80}?\b(?:our|your)\b"
    r".{0,40}?\b(?:newsletters?|inbox|e-?mails?|updates)\b"
    r"|^\W*(?:subscribe|sign up)(?: now| today| here)?\W*$",
    re.IGNORECASE | re.DOTALL,
)


def notice_kind(block: str) -> tuple[str, str] | None:
    """:data:`COOKIE_NOTICE` or :data:`SUBSCRIBE_PROMPT` when the block ``block`` (one paragraph's text) is that kind
    of page furniture by the module docstring's rule, else ``None``."""
    if len(block) <= MAX_NOTICE_CHARS and _COOKIE.search(block) and _SITE_SPEAKS.search(block):
        return COOKIE_NOTICE
    if len(block) <= MAX_PROMPT_CHARS and _SUBSCRIBE.search(block):
        return SUBSCRIBE_PROMPT
    return None


def counted(count: int, kind: tuple[str, str]) -> str:
    """``"a cookie or consent notice"`` for one, ``"2 cookie or consent notices"`` for more."""
    return kind[0] if count == 1 else f"{count} {kind[1]}"

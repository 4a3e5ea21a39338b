"""The attribution suggester: who said what in news text, by rules, offline and without model weights.

It finds statements the way PARC 3.0 describes attribution (Pareti, LREC 2016: a *source*, a *cue*, a *content*) and
suggests them under the default label set (``resources/label_sets/attribution.json``), whose guidelines it follows:

- **Cues**: reporting verbs in every inflection (:data:`CUE_VERBS`: say, tell, claim, report, reveal, add, warn,
  caution, threaten, deny, reject, dismiss, dispute, refute, insist, stress, state, announce, accuse, urge, vow,
  pledge...), found only in lower case and not after a determiner ("the report") or a form of *be* ("would be denied
  access"), and the phrases "according to", "citing", "told reporters", "made it clear", "said in a statement".
- **Quotations** in straight (``"``) or curly (``“ ”``) double quotes, across line breaks, when a speaker and a cue
  stand next to them (``“…,” Price said``, ``said Price``, ``Price said: “…”``); a quotation split by its cue
  (``“X,” Price said, “Y.”``) gives two statements with one source.
- **Content**: the quotation without its marks, or what the cue introduces (after ``that``) to the end of its clause
  (the sentence, or a following ``, and warned``, ``, adding``, ``, without``...), without the final punctuation.
  Without ``that`` it must look like a clause (three words or more, not opening with a preposition): "warned reporters
  in Washington." gives nothing; "warned at a rally on Friday that X" gives X. What a denial rejects leaves out its
  qualification ("rejected the allegations as baseless": "the allegations"). A
  speaker's own side inside a quotation (``“We’ve made it very clear to the government in Beijing … that X”``) gives
  only ``X``, as the claim guideline says.
- **Label** by the content, not the cue (the guidelines' order): a rejection (a deny / reject / dismiss / refute /
  dispute cue, or "not true", "baseless"...) is a *denial*; a consequence or threat ("will face", "consequences",
  "would pay", "isolation", "sanctions", "unrest", "will get worse", "would poison"..., a conditional threat "will
  shut down / strike ... if", or a *threaten* cue) a *warning*; the rest a *claim*. A denial cue with
  nothing to deny after it ("to deny.", "denied it.") is itself the denial, as the denial guideline marks "deny".
- **Actor**: the source noun phrase before the cue, as the actor guideline marks it (determiner, titles and role words
  included: "State Department spokesman Ned Price", "A senior administration official", "the government in
  Beijing"; parties joined by "and" apart; a plain noun phrase filling the clause before a finite cue, "The port
  authority rejected"; with an apposition set off by commas the noun phrase before it, as the guideline leaves out
  an apposition: "The opposition leader, Jonas Weber, claimed" gives "The opposition leader"), the phrase after
  "according to" (its "issued by X" / "from X" when it has
  one), after a cue that follows a quotation (``said Price``), and the medium's ``citing X`` as a second source. A
  participle cue (``, revealing that``) takes the subject of its clause. A quotation ending with a period takes no
  speaker from the next line; one on the same line right after ``“X,” Shu told reporters.`` is Shu's. A pronoun
  ("he", "they") is linked to the nearest party before it within :data:`PRONOUN_REACH` code points (an actor
  suggested, or the named subject opening a sentence, "Dr. Alan Price"; for "he"/"she" a person, not a body or a
  plural), never to a headline (a short first line without final punctuation) when the body names one; only when
  there is none is the pronoun
  itself suggested, at a low score. Content whose source is not found is not suggested (a rule not sure enough does
  not suggest; no suggestion scores 0).
- **Links**: each statement gets a :class:`SuggestedLink` of type ``source`` to each of its actors (the actor
  suggestion, or the document's actor span at those offsets, which is then not suggested again).

Scores are how sure each rule is (precision before recall): a quotation with its speaker named next to it scores
highest, a clause after "that" next, content without "that" lower; the label's rule multiplies it (a denial cue is
surer than a lexicon match). Ids are ``a1``, ``a2``... in text order, so links can name them.

Offsets are Unicode code points into the exact text (Python ``str`` indices); whitespace is any Unicode whitespace
(NBSP, CR LF, line and paragraph separators), so nothing shifts on such text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from annotator.io.step_aside import stepped
from annotator.suggest.suggestion import SuggestedLink, Suggestion, SuggestionContext

NAME = "attribution"
PRONOUN_REACH = 600
"""How far back (code points) a pronoun source looks for the actor it stands for."""
SOURCE = "source"

CUE_VERBS = [
    "say",
    "tell",
    "claim",
    "report",
    "reveal",
    "add",
    "warn",
    "caution",
    "threaten",
    "deny",
    "reject",
    "dismiss",
    "dispute",
    "refute",
    "insist",
    "stress",
    "state",
    "announce",
    "accuse",
    "urge",
    "vow",
    "pledge",
    "mention",
    "note",
    "confirm",
    "assert",
    "allege",
    "declare",
    "admit",
    "acknowledge",
    "predict",
    "promise",
    "explain",
    "emphasize",
    "emphasise",
    "argue",
    "reply",
    "write",
    "describe",
]
"""Reporting verbs (their base forms); :func:`inflections` gives every form matched."""
_IRREGULAR = {
    "say": ["say", "says", "said", "saying"],
    "tell": ["tell", "tells", "told", "telling"],
    "write": ["write", "writes", "wrote", "written", "writing"],
}
DENIAL_CUES = frozenset(["deny", "reject", "dismiss", "refute", "dispute"])
THREAT_CUES = frozenset(["threaten"])
WARN_CUES = frozenset(["warn", "caution"])
# Cues of a word that is also a frequent noun or adjective: these need "that", a quotation, or a named subject.
_WEAK_CUES = frozenset(["report", "state", "note", "claim", "stress", "describe"])


def inflections(verb: str) -> list[str]:
    """Every form of the reporting verb ``verb`` (base, third person, past, participles): ``deny`` gives ``deny,
    denies, denied, denying``; ``stress`` gives ``stress, stresses, stressed, stressing``."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return [verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    if verb.endswith("e"):
        return [verb, verb + "s", verb + "d", verb[:-1] + "ing"]
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return [verb, verb + "es", verb + "ed", verb + "ing"]
    if verb == "admit":
        return ["admit", "admits", "admitted", "admitting"]
    return [verb, verb + "s", verb + "ed", verb + "ing"]


_LEMMA = {form: verb for verb in CUE_VERBS for form in inflections(verb)}
_CUE = re.compile(r"\b(?:" + "|".join(sorted(_LEMMA, key=len, reverse=True)) + r")\b")
_MADE_CLEAR = re.compile(r"\bmade it (?:very |abundantly |perfectly |quite )?clear\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_CITING = re.compile(r"\bciting\s+")
_THAT = re.compile(r"\bthat\s+")

_WARNING = re.compile(
    r"\b(?:(?:will|would|could|might|may|shall)\s+(?:also\s+)?(?:face|pay|suffer|cost|be\s+(?:punished|sanctioned|"
    r"denied|barred|banned|cut\s+off|held\s+accountable))|consequences?|repercussions|isolation|isolated|sanctions?|"
    r"penalt(?:y|ies)|punish\w*|retaliat\w*|pay\s+a\s+(?:heavy\s+|high\s+)?price|at\s+(?:its|their|your)\s+own\s+"
    r"peril|risks?\b|dangers?|threat\w*|serious\s+harm|backfire|retribution|countermeasures?|"
    r"unrest|violence|chaos|shortages|job\s+losses|layoffs|bankruptc(?:y|ies)|deaths|casualties|bloodshed|famine|catastroph\w*|disaster|(?:stand|sit)\s+idly\s+by|"
    r"(?:will|would|could|might|may|shall|can)\s+(?:\w+\s+){0,2}?(?:get|grow|become)\s+worse|"
    r"(?:will|would|could|might|may)\s+(?:also\s+|soon\s+)?(?:worsen|poison|destroy|kill|ruin|harm|hurt|damage|collapse|lose|cripple|devastate|starve)|"
    r"(?:will|would|shall)\s+(?:\w+\s+){0,3}?(?:strike|shut\s+down|walk\s+out|boycott|block|blockade|sue|"
    r"retaliate)\b[^.;]{0,120}?\bif\b|"
    r"\bif\b[^.;]{0,120}?\b(?:we|I)\s+will\s+(?:\w+\s+){0,3}?(?:strike|shut|walk\s+out|boycott|block|sue))\b",
    re.IGNORECASE,
)
_REJECTION = re.compile(
    r"\b(?:not\s+true|untrue|baseless|groundless|unfounded|false|fabricat\w+|nonsense|lies|smear\w*|never|"
    r"no\s+basis|categorically)\b",
    re.IGNORECASE,
)

_WORD = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[’'\-]\w+)*")
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "another",
        "its",
        "their",
        "his",
        "her",
        "our",
        "this",
        "these",
        "those",
        "some",
        "several",
        "two",
        "three",
    ]
)
_CAP_STOP = frozenset(
    [
        "On",
        "In",
        "At",
        "As",
        "After",
        "Before",
        "But",
        "And",
        "However",
        "According",
        "While",
        "When",
        "Although",
        "Though",
        "Meanwhile",
        "Also",
        "The",
        "A",
        "An",
        "Another",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "This",
        "That",
        "These",
        "Those",
        "Last",
        "Earlier",
        "Later",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
)
_ROLE_WORDS = frozenset(
    [
        "official",
        "officials",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "spokespeople",
        "minister",
        "ministers",
        "ministry",
        "secretary",
        "president",
        "chairman",
        "chairwoman",
        "chief",
        "director",
        "adviser",
        "advisor",
        "ambassador",
        "envoy",
        "diplomat",
        "diplomats",
        "lawmaker",
        "lawmakers",
        "senator",
        "governor",
        "mayor",
        "general",
        "commander",
        "leader",
        "leaders",
        "government",
        "administration",
        "media",
        "press",
        "agency",
        "department",
        "office",
        "officer",
        "officers",
        "police",
        "military",
        "army",
        "analyst",
        "analysts",
        "expert",
        "experts",
        "source",
        "sources",
        "people",
        "committee",
        "council",
        "party",
        "company",
        "companies",
        "firm",
        "group",
        "authorities",
        "embassy",
        "regulator",
        "regulators",
        "prosecutor",
        "prosecutors",
        "court",
        "negotiator",
        "negotiators",
        "executive",
        "executives",
        "state",
        "foreign",
        "senior",
        "top",
        "former",
        "deputy",
        "local",
        "federal",
        "national",
        "defense",
        "defence",
        "trade",
        "commerce",
        "health",
        "finance",
        "unnamed",
        "anonymous",
        "other",
        "various",
        "countries",
        "country",
        "union",
        "workers",
        "residents",
        "officials'",
        "spokesman's",
        "minister's",
        "campaign",
        "team",
        "board",
        "union",
        "unions",
        "newspaper",
        "broadcaster",
        "outlet",
        "outlets",
        "organisers",
        "organizers",
        "protesters",
        "residents",
    ]
)
_CONNECTORS = frozenset(["of", "in", "from", "at", "for"])
_NOT_IN_NP = frozenset(
    [
        "he",
        "she",
        "they",
        "we",
        "i",
        "it",
        "you",
        "him",
        "her",
        "them",
        "us",
        "me",
        "who",
        "whom",
        "whose",
        "which",
        "that",
        "when",
        "where",
        "while",
        "if",
        "because",
        "and",
        "or",
        "but",
        "not",
        "no",
        "nor",
        "to",
        "by",
        "with",
        "as",
        "than",
        "after",
        "before",
        "on",
        "about",
        "over",
        "into",
        "onto",
        "during",
        "since",
        "until",
        "without",
        "against",
        "is",
        "was",
        "were",
        "are",
        "am",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "also",
        "later",
        "earlier",
        "then",
        "yesterday",
        "today",
        "tonight",
        "ago",
        "last",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "there",
        "here",
    ]
)
_PRONOUNS = frozenset(["he", "she", "they", "we", "i", "it"])
_SKIP_BEFORE_CUE = frozenset(
    [
        "also",
        "has",
        "have",
        "had",
        "was",
        "were",
        "is",
        "are",
        "will",
        "would",
        "again",
        "later",
        "earlier",
        "previously",
        "then",
        "both",
        "repeatedly",
        "has",
        "publicly",
        "privately",
        "once",
        "further",
        "firmly",
        "flatly",
        "strongly",
        "sternly",
    ]
)
_INTENT = frozenset(
    [
        "plan",
        "plans",
        "planned",
        "want",
        "wants",
        "wanted",
        "intend",
        "intends",
        "intended",
        "expect",
        "expects",
        "expected",
        "decided",
        "refused",
        "continued",
        "vowed",
        "threatened",
        "is",
        "was",
        "are",
        "were",
        "going",
        "set",
    ]
)
_DAY_BEFORE = re.compile(
    r"\s+(?:on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|last\s+week|yesterday)\s+$"
)
_BE = frozenset(["be", "been", "being", "is", "was", "were", "are", "am"])
_SENTENCE_END = re.compile(r"[.!?][”\"’)]?(?=\s)|\n(?=[ \t]*\r?\n)")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|St|No|Lt|Col|Prof|Jr|Sr)\.)$")
_CONTENT_END = re.compile(
    r",\s+(?:and\s+(?=" + _CUE.pattern + r")|(?=\w+ing\b)|without\b|according\s+to\b|citing\b|while\b|but\b)"
    r"|;|\s+[-–—]{1,2}\s+"
)
_TRAILING = ".,;:!? \t\r\n\u00a0\u2028\u2029"
_QUOTES = re.compile(r"“[^“”]{1,1500}?”|\"[^\"]{1,1500}?\"")
CUE_PHRASES = (_MADE_CLEAR, _ACCORDING, _CITING)
"""The cue phrases besides the verbs ("made it clear", "according to", "citing"), as patterns (lower-case text)."""
QUOTATIONS = _QUOTES
"""A quotation in straight or curly double quotes, marks included (may cross line breaks)."""


@dataclass
class _Actor:
    start: int
    end: int
    score: float
    reason: str


@dataclass
class _Statement:
    start: int
    end: int
    label: str
    score: float
    reason: str
    actors: list[_Actor] = field(default_factory=list)
    pronoun: tuple[int, int] | None = None  # a pronoun source, resolved once every actor is known


class AttributionSuggester:
    """The ``attribution`` suggester (see the module's docstring). It learns nothing: the vocabulary the registry
    offers it is ignored."""

    name = NAME

    def suggest(self, text: str, context: SuggestionContext) -> list[Suggestion]:
        """Suggestions for ``text``: statements (claim, warning, denial) and actors, with ``source`` links from
        statements to actors; ids ``a1``, ``a2``... in ``(start, end, label)`` order. Never a suggestion the analyst
        rejected, nor one a span with its label already has at those offsets."""
        sentences = _sentences(text)
        statements: list[_Statement] = []
        quoted = _quotations(text, sentences, statements)
        _cue_statements(text, sentences, quoted, statements)
        _according_to(text, sentences, quoted, statements)
        return _assemble(text, statements, context, sentences)


# ------------------------------------------------------------------------------------------------------ sentences


def _sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence: it ends at ``.``, ``!`` or ``?`` before a space or a line break, or at a
    blank line (a line break alone does not end one: hard-wrapped text); ``U.S.``, ``Mr.``... do not end one."""
    out = []
    start = _headline_end(text)
    if start:
        out.append((0, start))
    for match in _SENTENCE_END.finditer(text, start):
        if match.group() != "\n" and _ABBREVIATION.search(text, max(0, match.start() - 12), match.start() + 1):
            continue
        end = match.end()
        if start < end:
            out.append((start, end))
        start = end
    if start < len(text):
        out.append((start, len(text)))
    return out


def _headline_end(text: str) -> int:
    """Where a headline ends (after its line break): the text's first line when it has at most 15 words, no final
    punctuation, and a line opening with a capital or a quotation mark after it; else 0."""
    line_end = text.find("\n")
    following = text[line_end:].lstrip()
    if line_end <= 0 or not following or not (following[0].isupper() or following[0] in '“"‘'):
        return 0  # a hard-wrapped line goes on in lower case
    line = text[:line_end].rstrip()
    if not line or line[-1] in '.!?:;,”"’)' or not 0 < len(_words(text, 0, line_end)) <= 15:
        return 0
    return line_end + 1


def _sentence_of(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    index = bisect_right(sentences, (offset, len(sentences) + 10**12)) - 1
    return sentences[max(index, 0)] if sentences else (0, 0)


# ---------------------------------------------------------------------------------------------------- noun phrases


def _words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]


def _np_word(word: str) -> bool:
    return (word[0].isupper() and word not in _CAP_STOP) or word.lower() in _ROLE_WORDS or word[0].isdigit()


def _head_ok(word: str) -> bool:
    return (word[0].isupper() and word not in _CAP_STOP) or word.lower() in _ROLE_WORDS


def _phrase_before(text: str, limit: int, end: int) -> list[tuple[int, int]]:
    """The actor noun phrases ending right before ``end`` (only spaces between), scanning back no further than
    ``limit``: one, or several joined by "and"; ``[]`` when the words there make none."""
    words = _words(text, limit, end)
    if not words or text[words[-1][1] : end].strip():
        return []
    picked: list[tuple[int, int, str]] = []
    for i in range(len(words) - 1, -1, -1):
        _s, e, w = words[i]
        gap = text[e : picked[0][0]] if picked else ""
        if gap.strip() and not _title_gap(text, words[i], picked[0][0]):  # a comma, a quotation mark: it ends there
            break
        if (
            _np_word(w)
            or (w in _CONNECTORS and picked and i > 0 and words[i - 1][2].lower() in _ROLE_WORDS)
            or (w == "and" and picked and picked[0][2][0].isupper() and i > 0 and words[i - 1][2][0].isupper())
        ):
            picked.insert(0, words[i])
        elif w.lower() in _DETERMINERS and picked:
            picked.insert(0, words[i])
            break
        else:
            break
    return _split_and(picked)


def _phrase_after(text: str, start: int, limit: int) -> list[tuple[int, int]]:
    """The actor noun phrases starting at ``start`` (after spaces), no further than ``limit``."""
    words = _words(text, start, limit)
    if not words or text[start : words[0][0]].strip():
        return []
    picked: list[tuple[int, int, str]] = []
    for i, (s, _e, w) in enumerate(words):
        if picked and text[picked[-1][1] : s].strip() and not _title_gap(text, picked[-1], s):
            break
        if (not picked and w.lower() in _DETERMINERS) or (_np_word(w) and not (not picked and w in _CAP_STOP)):
            picked.append(words[i])
        elif w in _CONNECTORS and picked and picked[-1][2].lower() in _ROLE_WORDS and i + 1 < len(words):
            nxt = words[i + 1][2]
            if not (nxt[0].isupper() or nxt.lower() in _ROLE_WORDS or nxt.lower() in _DETERMINERS):
                break
            picked.append(words[i])
        elif (
            w == "and" and picked and picked[-1][2][0].isupper() and i + 1 < len(words) and words[i + 1][2][0].isupper()
        ):
            picked.append(words[i])
        else:
            break
    while picked and (picked[-1][2] in _CONNECTORS or picked[-1][2] == "and" or picked[-1][2].lower() in _DETERMINERS):
        picked.pop()
    return _split_and(picked)


_TITLES = frozenset(["Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep", "Gov", "Prof", "Lt", "Col", "Capt", "Sgt", "St"])


def _title_gap(text: str, word: tuple[int, int, str], next_start: int) -> bool:
    """Whether ``word`` is a title abbreviated with a period ("Dr. Alan Price") and only that period and spaces stand
    between it and the word at ``next_start``."""
    return word[2] in _TITLES and text[word[1] : next_start].strip() == "."


def _split_and(picked: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    parts: list[list[tuple[int, int, str]]] = [[]]
    for word in picked:
        if word[2] == "and":
            parts.append([])
        else:
            parts[-1].append(word)
    out = []
    for part in parts:
        while part and part[0][2] in _CONNECTORS:
            part.pop(0)
        if part and _head_ok(part[-1][2]) and not (len(part) == 1 and part[0][2].lower() in _DETERMINERS):
            out.append((part[0][0], _strip_possessive(part[-1])))
    return out


def _strip_possessive(word: tuple[int, int, str]) -> int:
    _s, e, w = word
    if len(w) > 2 and w[-2] in "’'" and w[-1] in "sS":
        return e - 2
    return e


def _actors(spans: list[tuple[int, int]], score: float, reason: str) -> list[_Actor]:
    return [_Actor(s, e, score, reason) for s, e in spans]


def _actor_score(text: str, start: int, end: int) -> float:
    """A named party (capitalised words) is surer than a role ("officials")."""
    return 0.75 if any(w[0].isupper() for _s, _e, w in _words(text, start, end)) else 0.65


# --------------------------------------------------------------------------------------------------------- labels


def _label(content: str, lemma: str) -> tuple[str, float, str]:
    """``(label, factor, why)`` for a statement's content and its cue's lemma, in the guidelines' order. A content
    that reports a statement itself (a cue inside it) is a claim: the nested statement gets its own label."""
    if lemma in DENIAL_CUES:
        return "denial", 0.95, f"rejects what follows ({lemma})"
    nested = next(_live_cues(content), None)
    if nested and lemma not in THREAT_CUES:
        return "claim", 0.9, f"it reports a statement itself ({nested.group()!r})"
    if _REJECTION.search(content):
        return "denial", 0.7, "its content rejects something"
    if lemma in THREAT_CUES:
        return "warning", 0.95, "a threat"
    found = _WARNING.search(content)
    if found:
        return "warning", 0.8, f"its content foresees harm ({found.group().lower()!r})"
    if lemma in WARN_CUES:
        return "claim", 0.7, "warned of no consequence: a claim, as the guidelines say"
    return "claim", 1.0, "attributed content"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    if end - start >= 2 and text[start] in '“"' and text[end - 1] in '”"':
        start, end = start + 1, end - 1
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
    return start, end


def _content_end(text: str, start: int, sentence_end: int) -> int:
    found = _CONTENT_END.search(text, start, sentence_end)
    return found.start() if found else sentence_end


# ----------------------------------------------------------------------------------------------------- quotations


def _quotations(text: str, sentences: list[tuple[int, int]], statements: list[_Statement]) -> list[tuple[int, int]]:
    """Statements from quotations with a speaker next to them; returns the ranges of every quotation (cues inside
    them are left to these rules)."""
    quotes = [(m.start(), m.end()) for m in _QUOTES.finditer(text)]
    carried: list[_Actor] | None = None
    for index, (qs, qe) in enumerate(stepped(quotes)):
        actors, pronoun, lemma, score = _speaker_after(text, qe)
        if not actors and pronoun is None:
            actors, pronoun, lemma, score = _speaker_before(text, qs, _sentence_of(sentences, qs)[0])
        if not actors and pronoun is None and carried is not None:
            actors, lemma, score = carried, "say", 0.7
        carried = None
        if not actors and pronoun is None:
            continue
        start, end = _trimmed(text, qs, qe)
        if end <= start:
            continue
        start = _own_side(text, start, end)
        label, factor, why = _label(text[start:end], lemma)
        statements.append(_Statement(start, end, label, round(score * factor, 3), f"a quotation; {why}", actors))
        statements[-1].pronoun = pronoun
        if index + 1 < len(quotes) and re.fullmatch(r"[\s,]*", text[_after_cue(text, qe) : quotes[index + 1][0]]):
            carried = actors
        elif index + 1 < len(quotes) and _CONTINUED.fullmatch(text, qe, quotes[index + 1][0]) and actors:
            carried = actors  # “X,” Shu told reporters. “Y.”: the next quotation on that line is Shu's too
    return quotes


_CONTINUED = re.compile(r",?[ \t]+[^“”\"\n]{1,120}?\b(?:" + _CUE.pattern + r")\b[^“”\"\n]{0,40}?\.[ \t]+")


def _after_cue(text: str, quote_end: int) -> int:
    """Where the words after a quotation's ``, Price said`` end (to see whether another quotation follows)."""
    m = re.compile(r"[\s,]*[^“\"\n.]{0,80}?\b(?:" + _CUE.pattern + r")\b[^“\"\n.]{0,40}?,").match(text, quote_end)
    return m.end() if m else quote_end


def _speaker_after(text: str, quote_end: int) -> tuple[list[_Actor], tuple[int, int] | None, str, float]:
    """``“…,” Price said`` or ``“…,” said Price``: the speaker, a pronoun, the cue's lemma and the rule's score."""
    if quote_end >= 2 and text[quote_end - 2] == "." and "\n" in text[quote_end : quote_end + 3]:
        return [], None, "", 0.0  # “… by.” then a new line: the next line's speaker is not this quotation's
    m = re.compile(r"[\s,]*").match(text, quote_end)
    at = m.end() if m else quote_end
    cue = _CUE.match(text, at)
    if cue:  # said Price / said the minister
        phrase = _phrase_after(text, cue.end(), min(len(text), cue.end() + 120))
        if phrase:
            return _actors(phrase, _actor_score(text, *phrase[0]), "the speaker after a quotation"), None, "", 0.8
        pronoun = re.compile(r"\s+(he|she|they|we|I)\b").match(text, cue.end())
        if pronoun:
            return [], (pronoun.start(1), pronoun.end(1)), _LEMMA[cue.group()], 0.75
        return [], None, "", 0.0
    words = _words(text, at, min(len(text), at + 120))
    for s, _e, w in words:
        if text[at:s].count("\n"):
            break
        if w in _LEMMA and text[s - 1] == " ":
            between = _words(text, at, s)
            if between and between[0][2].lower() in _PRONOUNS and len(between) == 1:
                return [], (between[0][0], between[0][1]), _LEMMA[w], 0.75
            phrase = _phrase_before(text, at, s)
            if phrase and phrase[0][0] == between[0][0]:
                return _actors(phrase, _actor_score(text, *phrase[0]), "the speaker after a quotation"), None, "", 0.8
            break
    return [], None, "", 0.0


def _speaker_before(
    text: str, quote_start: int, sentence_start: int
) -> tuple[list[_Actor], tuple[int, int] | None, str, float]:
    """``Price said: “…”`` or ``Price told reporters, “…”``."""
    before = text[sentence_start:quote_start]
    m = re.search(r"\b(" + _CUE.pattern + r")\b(?:\s+reporters|\s+in\s+a\s+statement)?\s*[:,]?\s*$", before)
    if not m:
        return [], None, "", 0.0
    cue_start = sentence_start + m.start(1)
    lemma = _LEMMA[m.group(1)]
    return _subject(text, sentence_start, cue_start, lemma, 0.75)


def _subject(
    text: str, sentence_start: int, cue_start: int, lemma: str, score: float
) -> tuple[list[_Actor], tuple[int, int] | None, str, float]:
    """The source of a cue at ``cue_start``: the phrase right before it (adverbs and auxiliaries skipped), a pronoun,
    or nothing."""
    end = cue_start
    day = _DAY_BEFORE.search(text, sentence_start, cue_start)
    if day:  # "China’s Commerce Ministry on Tuesday rejected"
        end = cue_start = day.start()
    words = _words(text, sentence_start, cue_start)
    while words and words[-1][2].lower() in _SKIP_BEFORE_CUE | {w for w in [words[-1][2]] if w.endswith("ly")}:
        if text[words[-1][1] : end].strip():
            break
        end = words[-1][0]
        words.pop()
    if words and words[-1][2] == "to" and not text[words[-1][1] : end].strip():  # "China and Russia to deny"
        end = words[-1][0]
        words.pop()
        if words and words[-1][2] in _INTENT and not text[words[-1][1] : end].strip():  # "Sullivan planned to warn"
            end = words[-1][0]
            words.pop()
    if words and words[-1][2].lower() in _PRONOUNS and not text[words[-1][1] : end].strip():
        return [], (words[-1][0], words[-1][1]), lemma, score
    phrase = _phrase_before(text, sentence_start, end)
    plain = _plain_subject(text, sentence_start, end)
    if plain and (phrase and plain[0] < phrase[0][0] and plain[1] == phrase[-1][1] and len(phrase) == 1):
        phrase = [plain]  # "The port authority", not "authority"; "Union representative Tom Hale", not "Tom Hale"
    if phrase:
        return _actors(phrase, _actor_score(text, *phrase[0]), "the subject of the cue"), None, lemma, score
    apposed = _apposed_subject(text, sentence_start, end)
    if apposed:  # "The opposition leader, Jonas Weber, claimed"
        return [_Actor(*apposed, 0.65, "the subject of the cue (its apposition left out)")], None, lemma, score * 0.9
    cue = _CUE.match(text, cue_start) if cue_start == end else None
    in_headline = cue_start < _headline_end(text)  # "Election result disputed": a participle, not a finite cue
    if plain and cue and cue.group() != lemma and not in_headline:  # a finite cue after it: "Industry groups denied"
        return [_Actor(*plain, 0.55, "the noun phrase opening the clause of the cue")], None, lemma, score * 0.85
    return [], None, lemma, 0.0


def _np_start(text: str, sentence_start: int, end: int) -> int:
    """Where the clause holding a subject that ends at ``end`` starts: after the last ``that`` before it, after a
    leading adverbial set off by a comma ("In a statement, ", "On Friday, "), else the sentence's start."""
    start = _skip_space(text, sentence_start)
    last = None
    for m in _THAT.finditer(text, start, end):
        last = m
    if last is not None:
        return last.end()
    first = _words(text, start, end)[:1]
    if first and first[0][2] in _CAP_STOP and first[0][2].lower() not in _DETERMINERS:
        comma = text.find(",", start, end)
        if comma != -1:
            return _skip_space(text, comma + 1)
    return start


def _plain_np(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` when ``text[start:end]`` (spaces trimmed) is one plain noun phrase of at most seven words on
    one line, "The port authority", "The head of the manufacturers’ association", "International observers": no
    verb-like or function word (auxiliaries, pronouns, conjunctions, prepositions but of/in/from/at/for, cue forms,
    times), words joined only by spaces or a possessive mark, opening with a determiner or a capital."""
    start, end = _skip_space(text, start), _trimmed(text, start, end)[1]
    words = _words(text, start, end)
    if not words or len(words) > 7 or words[0][0] != start or words[-1][1] != end:
        return None
    first = words[0][2]
    if not (first.lower() in _DETERMINERS or (first[0].isupper() and first not in _CAP_STOP)):
        return None
    for i, (_s, e, w) in enumerate(words):
        if w.lower() in _NOT_IN_NP or w in _LEMMA or (i and w in _CAP_STOP):
            return None
        if i + 1 < len(words) and text[e : words[i + 1][0]].strip() not in ("", "’", "'"):
            return None
        if i + 1 < len(words) and "\n" in text[e : words[i + 1][0]]:
            return None
    last = words[-1][2]
    if last.lower() in _CONNECTORS | _DETERMINERS or last.endswith("ly") or (len(words) == 1 and not _head_ok(last)):
        return None
    return start, _strip_possessive(words[-1])


def _plain_subject(text: str, sentence_start: int, end: int) -> tuple[int, int] | None:
    """The plain noun phrase (:func:`_plain_np`) filling its clause up to ``end``, or ``None``."""
    return _plain_np(text, _np_start(text, sentence_start, end), end)


def _apposed_subject(text: str, sentence_start: int, end: int) -> tuple[int, int] | None:
    """``NP, APPOSITION,`` right before ``end`` ("The opposition leader, Jonas Weber, claimed"; "Jonas Weber, the
    opposition leader, said"): the first noun phrase, as the actor guideline leaves out an apposition after a comma;
    ``None`` unless both parts are plain noun phrases."""
    m = re.compile(r",\s*([^,;:“”\"\n]{1,80}),\s*$").search(text, sentence_start, end)
    if not m or _plain_np(text, m.start(1), m.end(1)) is None:
        return None
    head_end = m.start()
    phrase = _phrase_before(text, sentence_start, head_end)
    plain = _plain_subject(text, sentence_start, head_end)
    if plain:
        return plain
    if phrase and len(phrase) == 1 and phrase[0][0] == _np_start(text, sentence_start, head_end):
        return phrase[0]
    return None


def _own_side(text: str, start: int, end: int) -> int:
    """A quotation in which the speaker's own side made something clear (``We’ve made it very clear to X that Y``):
    where ``Y`` starts, else ``start``."""
    m = re.compile(
        r"(?:We|I)(?:[’']ve| have| had)?\s+(?:(?:" + _MADE_CLEAR.pattern + r")|warned|told)\b[^.;:]{0,160}?\bthat\s+"
    ).match(text, start, end)
    return m.end() if m else start


# ------------------------------------------------------------------------------------------------------- cue rules


def _inside(ranges: Sequence[tuple[int, int]], offset: int) -> bool:
    index = bisect_right(ranges, (offset, len(ranges) + 10**12)) - 1
    return index >= 0 and ranges[index][0] <= offset < ranges[index][1]


def _live_cues(text: str) -> Iterator[re.Match[str]]:
    """The cues of ``text`` used as reporting verbs: not a noun after a determiner ("the report"), not a passive
    ("would be denied access"), not after a preposition."""
    for cue in stepped(_CUE.finditer(text)):  # (in a worker: steps aside for the window)
        previous = _words(text, max(0, cue.start() - 30), cue.start())
        prev = previous[-1][2].lower() if previous else ""
        if prev in _DETERMINERS or prev in _BE or prev in {"in", "of", "for", "with", "by", "under"}:
            continue
        yield cue


def _cue_statements(
    text: str, sentences: list[tuple[int, int]], quoted: list[tuple[int, int]], statements: list[_Statement]
) -> None:
    for cue in _live_cues(text):
        if _inside(quoted, cue.start()):
            continue
        word = cue.group()
        lemma = _LEMMA[word]
        s_start, s_end = _sentence_of(sentences, cue.start())
        after = cue.end()
        made = _MADE_CLEAR.match(text, cue.start())
        if made:
            after = made.end()
        participle = word.endswith("ing") and re.search(r",\s*$", text[s_start : cue.start()]) is not None
        if participle:
            clause = _clause_start(text, s_start, cue.start())
            phrase = _phrase_after(text, clause, cue.start())
            actors = _actors(phrase, _actor_score(text, *phrase[0]), "the subject of the clause") if phrase else []
            pronoun, base = None, 0.55
        else:
            actors, pronoun, _lemma, base = _subject(text, s_start, cue.start(), lemma, 0.7)
        if not actors and pronoun is None and re.search(r",?\s+and\s+$", text[s_start : cue.start()]):
            earlier = [st for st in statements if s_start <= st.start < cue.start() and st.actors]
            if earlier:  # "X reported that …, and warned …": X again
                actors, base = list(earlier[-1].actors), 0.6
        if not actors and pronoun is None:
            continue  # no source found: not sure enough to suggest anything
        content_start, extra, has_that = _content_start(text, after, s_end)
        if content_start >= s_end or text[content_start] in '“"':
            if lemma in DENIAL_CUES:
                _bare_denial(text, cue, s_end, actors, pronoun, statements)
            continue
        if not has_that and lemma in _WEAK_CUES and not actors:
            continue
        if not has_that and lemma not in DENIAL_CUES | THREAT_CUES and not _clause_like(text, content_start, s_end):
            continue  # "warned reporters in Washington.": a place or a time, not what was said
        if lemma == "accuse":  # "accused the government of hiding …": the accusation is what follows "of"
            of = re.compile(r"[^,.;:]{1,80}?\bof\s+").match(text, content_start, s_end)
            if of:
                content_start = of.end()
        elif not has_that and text.startswith("to ", content_start):  # "threatened to impose …"
            content_start += 3
        end = _content_end(text, content_start, s_end)
        if lemma in DENIAL_CUES:  # "dismissed the figures as baseless": what is rejected is "the figures"
            qualified = re.compile(r"\s+as\s+(?!if\b|though\b|well\b|long\b|soon\b)[^,;“”\"]{1,60}?[\s.!?]*$").search(
                text, content_start, end
            )
            if qualified:
                end = qualified.start()
        start, end = _trimmed(text, content_start, end)
        if end <= start:
            if lemma in DENIAL_CUES:
                _bare_denial(text, cue, s_end, actors, pronoun, statements)
            continue
        if lemma in DENIAL_CUES and re.fullmatch(r"(?:it|this|that|them|these|those)", text[start:end]):
            _bare_denial(text, cue, s_end, actors, pronoun, statements, object_end=end)
            continue
        if not actors and pronoun is None:
            continue  # content with no source found: not sure enough to suggest
        label, factor, why = _label(text[start:end], lemma)
        score = (base if has_that else base * 0.8) * factor
        statement = _Statement(start, end, label, round(score, 3), f"after {word!r}; {why}", actors + extra)
        statement.pronoun = pronoun
        statements.append(statement)


_PREPOSITION = re.compile(
    r"(?:in|at|on|during|after|before|outside|inside|near|from|with|at|before|ahead\s+of|over|across|via|through)\b"
)


def _clause_like(text: str, start: int, sentence_end: int) -> bool:
    """Whether content without "that" at ``start`` can be a clause: at least three words, and not a phrase of place or
    time opening with a preposition ("in Washington", "at a rally on Friday")."""
    if _PREPOSITION.match(text, start):
        return False
    return len(_words(text, start, _content_end(text, start, sentence_end))) >= 3


def _clause_start(text: str, sentence_start: int, cue_start: int) -> int:
    """Where the clause a participle cue hangs on starts: after the last ``that`` before it, else after a leading
    "According to …," phrase, else the sentence's start."""
    last = None
    for m in _THAT.finditer(text, sentence_start, cue_start):
        last = m
    if last is not None:
        return last.end()
    according = _ACCORDING.match(text, _skip_space(text, sentence_start))
    if according:
        comma = text.find(",", according.end(), cue_start)
        if comma != -1:
            return _skip_space(text, comma + 1)
    return _skip_space(text, sentence_start)


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _content_start(text: str, after: int, sentence_end: int) -> tuple[int, list[_Actor], bool]:
    """Where the content after a cue begins (after ``that`` when it comes within 160 code points, else right after
    the cue, "told reporters" / "in a statement" / a day skipped), the ``citing X`` actors met on the way, and whether
    a ``that`` was found."""
    window_end = min(sentence_end, after + 160)
    that = _THAT.search(text, after, window_end)
    extra: list[_Actor] = []
    if that and not re.search(r"[;:!?“\"]|(?<![A-Z])\.", text[after : that.start()]):
        for citing in _CITING.finditer(text, after, that.start()):
            phrase = _phrase_after(text, citing.end(), that.start())
            extra += _actors(phrase, _actor_score(text, *phrase[0]) if phrase else 0.0, "cited by the medium")
        return _skip_space(text, that.end()), extra, True
    m = re.compile(
        r"(?:\s+reporters|\s+in\s+a\s+statement|\s+on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
        r"|\s+(?:last|this)\s+(?:week|month|year)|\s+(?:yesterday|today))*\s*[:,]?\s*"
    ).match(text, after)
    return (m.end() if m else after), extra, False


def _bare_denial(
    text: str,
    cue: re.Match[str],
    sentence_end: int,
    actors: list[_Actor],
    pronoun: tuple[int, int] | None,
    statements: list[_Statement],
    object_end: int | None = None,
) -> None:
    """A denial cue with nothing (or only a pronoun) to deny: the cue itself ("deny", "denied it") is the denial."""
    end = object_end if object_end is not None else cue.end()
    statement = _Statement(cue.start(), end, "denial", 0.5 if actors else 0.35, "a denial with no content", actors)
    statement.pronoun = pronoun
    statements.append(statement)


def _according_to(
    text: str, sentences: list[tuple[int, int]], quoted: list[tuple[int, int]], statements: list[_Statement]
) -> None:
    """``According to X, CONTENT.`` and ``CONTENT, according to X.``"""
    for m in stepped(_ACCORDING.finditer(text)):
        if _inside(quoted, m.start()):
            continue
        s_start, s_end = _sentence_of(sentences, m.start())
        comma = text.find(",", m.end(), s_end)
        leading = not text[s_start : m.start()].strip()
        source_end = comma if leading and comma != -1 else _trimmed(text, m.end(), s_end)[1]
        phrase_text = text[m.end() : source_end]
        by = re.search(r"\b(?:issued by|released by|by|from)\s+", phrase_text)
        at = m.end() + by.end() if by else m.end()
        phrase = _phrase_after(text, at, source_end)
        if not phrase:
            continue
        actors = _actors(phrase, _actor_score(text, *phrase[0]), "after 'according to'")
        if leading:
            if comma == -1:
                continue
            start, end = _trimmed(text, comma + 1, s_end)
        else:
            start, end = _trimmed(text, s_start, m.start())
        if end <= start:
            continue
        label, factor, why = _label(text[start:end], "say")
        statements.append(
            _Statement(start, end, label, round(0.7 * factor, 3), f"according to a source; {why}", actors)
        )


# ---------------------------------------------------------------------------------------------------- assembling


def _assemble(
    text: str, statements: list[_Statement], context: SuggestionContext, sentences: list[tuple[int, int]]
) -> list[Suggestion]:
    """Suggestions with ids ``a1``... and their links, from the statements found (one per range and label, the best
    scored kept; one statement label per range), leaving out what the context already has or rejected."""
    best: dict[tuple[int, int], _Statement] = {}
    for statement in statements:
        held = best.get((statement.start, statement.end))
        if held is None or statement.score > held.score:
            if held is not None:
                statement.actors = _merged(statement.actors, held.actors)
            best[(statement.start, statement.end)] = statement
        else:
            held.actors = _merged(held.actors, statement.actors)
    kept = sorted(best.values(), key=lambda s: (s.start, s.end))
    actors: dict[tuple[int, int], _Actor] = {}
    for statement in kept:
        for actor in statement.actors:
            held_actor = actors.get((actor.start, actor.end))
            if held_actor is None or actor.score > held_actor.score:
                actors[(actor.start, actor.end)] = actor
    for statement in kept:
        if statement.pronoun is not None and not statement.actors:
            named = _antecedent(text, sentences, statement.pronoun, list(actors.values()))
            if named is not None:
                statement.actors = [actors.setdefault((named.start, named.end), named)]
            else:
                start, end = statement.pronoun
                pronoun = _Actor(start, end, 0.3, "a pronoun: no named party before it")
                actors.setdefault((start, end), pronoun)
                statement.actors = [pronoun]
    spans_at = {(s.start, s.end, s.label): s for s in context.spans}
    existing = {(s.start, s.end): s.id for s in context.spans if s.label == "actor"}
    made: list[tuple[int, int, str, float, str, list[tuple[int, int]]]] = []
    for (start, end), actor in actors.items():
        if (start, end) not in existing:
            made.append((start, end, "actor", actor.score, actor.reason, []))
    for statement in kept:
        ends = [(a.start, a.end) for a in statement.actors if (a.start, a.end) != (statement.start, statement.end)]
        made.append((statement.start, statement.end, statement.label, statement.score, statement.reason, ends))
    made = [m for m in made if (m[0], m[1], m[2]) not in context.rejected and (m[0], m[1], m[2]) not in spans_at]
    made.sort(key=lambda m: (m[0], m[1], m[2]))
    ids = {(m[0], m[1], m[2]): f"a{n}" for n, m in enumerate(made, 1)}
    out = []
    for start, end, label, score, reason, ends in made:
        own = ids[(start, end, label)]
        links = []
        for actor_start, actor_end in ends:
            to = ids.get((actor_start, actor_end, "actor")) or existing.get((actor_start, actor_end))
            if to is not None:
                links.append(SuggestedLink(SOURCE, own, to))
        out.append(Suggestion(start, end, label, min(1.0, max(0.0, score)), NAME, reason, own, tuple(links)))
    return out


_NOT_A_PERSON = frozenset(
    [
        "ministry",
        "government",
        "administration",
        "media",
        "press",
        "agency",
        "department",
        "office",
        "police",
        "military",
        "army",
        "committee",
        "council",
        "party",
        "company",
        "firm",
        "group",
        "authority",
        "authorities",
        "embassy",
        "court",
        "union",
        "board",
        "newspaper",
        "broadcaster",
        "commission",
        "association",
        "bank",
        "campaign",
        "team",
        "country",
        "state",
        "house",
    ]
)


def _person_like(text: str, actor: _Actor) -> bool:
    """Whether ``actor`` can be what "he" or "she" stands for: not a body ("the ministry", "the White House") nor a
    plural ("officials", "Protest organisers")."""
    words = _words(text, actor.start, actor.end)
    head = words[-1][2] if words else ""
    if head.lower() in _NOT_A_PERSON or (head.islower() and head.endswith("s") and not head.endswith("ss")):
        return False
    return not (len(words) == 1 and head in _CAP_STOP)


def _antecedent(
    text: str, sentences: list[tuple[int, int]], pronoun: tuple[int, int], actors: list[_Actor]
) -> _Actor | None:
    """What a pronoun source stands for: the nearest party before it within :data:`PRONOUN_REACH`, among the actors
    suggested and the named subjects (capitalised words) opening the sentences before it; for "he" and "she" a
    person (:func:`_person_like`). A headline (:func:`_headline_end`) is used only when the body names no one."""
    offset = pronoun[0]
    candidates = [a for a in actors if a.end <= offset and offset - a.end <= PRONOUN_REACH]
    for start, end in sentences:
        if start >= offset or offset - end > PRONOUN_REACH:
            continue
        phrase = _phrase_after(text, _skip_space(text, start), min(end, offset))
        if phrase and any(w[0].isupper() for _s, _e, w in _words(text, *phrase[0])):
            candidates.append(_Actor(*phrase[0], 0.5, "what the pronoun after it most likely stands for"))
    if text[pronoun[0] : pronoun[1]].lower() in ("he", "she"):
        candidates = [a for a in candidates if _person_like(text, a)]
    headline = _headline_end(text)
    body = [a for a in candidates if a.start >= headline]
    candidates = body or candidates
    return max(candidates, key=lambda a: (a.end, -a.start)) if candidates else None


def _merged(first: Iterable[_Actor], second: Iterable[_Actor]) -> list[_Actor]:
    out: dict[tuple[int, int], _Actor] = {}
    for actor in (*first, *second):
        out.setdefault((actor.start, actor.end), actor)
    return list(out.values())

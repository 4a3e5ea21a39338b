"""Writes the attribution gold fixtures: ``python tests/data/attribution/build_gold.py`` (from the repository root).

Exhaustive gold under the default label set (``resources/label_sets/attribution.json``) and its guidelines: every
actor, claim, warning and denial, with source and target links, in the sample article (its text copied into
``sample-article.txt`` here) and in seven short news texts written for these tests (four first, three more for
patterns a newcomer found missed, with sentences where nothing is attributed). Each span is given by its text and
occurrence, so the offsets are found, not typed; the files are written with the model/io API (so they are valid and
carry the version the app writes). Annotated by one engineer (no second annotator): treat the figures they give as
indicative.
"""

from __future__ import annotations

from pathlib import Path

from annotator.io import annotation_file
from annotator.io.label_set_file import default_label_set
from annotator.model.annotation_set import AnnotationSet
from annotator.model.document import Document
from annotator.model.relation import Relation
from annotator.model.span import Span
from annotator.model.status import DocumentStatus

HERE = Path(__file__).parent

# (key, label, text, occurrence) ... ; links (type, from key, to key)
SAMPLE = (
    [
        ("stress", "claim", "the importance of maintaining open communication", 1),
        ("media", "actor", "foreign media", 1),
        ("usofficials", "actor", "U.S. officials", 1),
        (
            "requested",
            "claim",
            "Russia had requested military assistance from China to support its invasion of Ukraine",
            1,
        ),
        ("allies", "actor", "European and Asian allies", 1),
        ("signs", "claim", "there were signs China might be willing to provide aid to Russia", 1),
        ("china1", "actor", "China", "to China and"),
        ("russia1", "actor", "Russia", "and Russia to deny"),
        ("deny", "denial", "deny", 1),
        ("wh", "actor", "the White House", 1),
        (
            "raised",
            "claim",
            "Sullivan raised a series of questions on US-China relations, and held substantive discussions on the "
            "Russia-Ukraine war, emphasizing the importance of open communication channels between the United States "
            "and China",
            1,
        ),
        ("sullivan2", "actor", "Sullivan", "Sullivan raised"),
        ("channels", "claim", "the importance of open communication channels between the United States and China", 1),
        ("senior", "actor", "A senior administration official", 1),
        ("intense", "claim", "the seven-hour negotiation as “intense”", 1),
        (
            "spoke",
            "claim",
            "Sullivan spoke directly regarding the concerns and potential consequences of a China-Russia alliance, "
            "telling Yang Jiechi that the U.S. was concerned regarding Beijing’s help",
            1,
        ),
        ("sullivan3", "actor", "Sullivan", "Sullivan spoke"),
        ("alliance", "warning", "potential consequences of a China-Russia alliance", 1),
        ("yang", "actor", "Yang Jiechi", "telling Yang Jiechi"),
        ("concerned", "claim", "the U.S. was concerned regarding Beijing’s help", 1),
        ("beijing", "actor", "Beijing", 1),
        ("another", "actor", "Another U.S. official", 1),
        (
            "planned",
            "claim",
            "Sullivan planned to warn China that continued support for Russia might face global isolation",
            1,
        ),
        ("sullivan4", "actor", "Sullivan", "Sullivan planned"),
        ("chinawarned", "actor", "China", "warn China that"),
        ("isolation", "warning", "continued support for Russia might face global isolation", 1),
        ("various", "actor", "officials from various countries", 1),
        ("chinacomm", "actor", "China", "to China the consequences"),
        ("supporting", "warning", "the consequences of supporting Russia", 1),
        ("price", "actor", "State Department spokesman Ned Price", 1),
        (
            "watching",
            "claim",
            "he is closely watching the level of economic and financial support China and other countries provide to "
            "Russia to help Russian President Vladimir Putin",
            1,
        ),
        ("gov", "actor", "the government in Beijing", 1),
        ("action", "warning", "any action to support Russia will have consequences", 1),
        ("price2", "actor", "Price", "Price said"),
        ("raimondo", "actor", "U.S. Commerce Secretary Gina Raimondo", 1),
        (
            "denied",
            "warning",
            "Chinese companies violating U.S. export controls to Russia would be denied access to U.S. equipment and "
            "software needed to make their products",
            1,
        ),
        ("companies", "actor", "Chinese companies", 1),
    ],
    [
        ("source", "requested", "media"),
        ("source", "requested", "usofficials"),
        ("source", "signs", "media"),
        ("source", "signs", "usofficials"),
        ("target", "signs", "allies"),
        ("source", "deny", "china1"),
        ("source", "deny", "russia1"),
        ("source", "raised", "wh"),
        ("source", "channels", "sullivan2"),
        ("source", "intense", "senior"),
        ("source", "spoke", "senior"),
        ("source", "alliance", "sullivan3"),
        ("source", "concerned", "sullivan3"),
        ("target", "concerned", "yang"),
        ("target", "concerned", "beijing"),
        ("source", "planned", "another"),
        ("source", "isolation", "sullivan4"),
        ("target", "isolation", "chinawarned"),
        ("source", "supporting", "various"),
        ("target", "supporting", "chinacomm"),
        ("source", "watching", "price"),
        ("source", "action", "price2"),
        ("target", "action", "gov"),
        ("source", "denied", "raimondo"),
        ("target", "denied", "companies"),
    ],
    {"stress": "garbled sentence: no source is named for 'stressing'"},
)

TRADE_TEXT = (
    "Beijing, May 3 — China’s Commerce Ministry on Tuesday rejected the accusations of dumping made by European "
    "producers.\nThe ministry said in a statement that the investigation was “groundless and politically motivated”.\n"
    "“Any attempt to restrict Chinese exports will be met with firm countermeasures,” ministry spokeswoman Shu Jueting "
    "told reporters. “We will not sit idly by.”\nEuropean Trade Commissioner Valdis Dombrovskis said the bloc would "
    "continue the investigation.\nAccording to the European Steel Association, Chinese steel exports to Europe rose by "
    "12 percent last year.\n"
)
TRADE = (
    [
        ("ministry", "actor", "China’s Commerce Ministry", 1),
        ("accusations", "denial", "the accusations of dumping made by European producers", 1),
        ("producers", "actor", "European producers", 1),
        ("theministry", "actor", "The ministry", 1),
        ("groundless", "denial", "the investigation was “groundless and politically motivated”", 1),
        ("counter", "warning", "Any attempt to restrict Chinese exports will be met with firm countermeasures", 1),
        ("shu", "actor", "ministry spokeswoman Shu Jueting", 1),
        ("idly", "warning", "We will not sit idly by", 1),
        ("dombrovskis", "actor", "European Trade Commissioner Valdis Dombrovskis", 1),
        ("continue", "claim", "the bloc would continue the investigation", 1),
        ("esa", "actor", "the European Steel Association", 1),
        ("rose", "claim", "Chinese steel exports to Europe rose by 12 percent last year", 1),
    ],
    [
        ("source", "accusations", "ministry"),
        ("target", "accusations", "producers"),
        ("source", "groundless", "theministry"),
        ("source", "counter", "shu"),
        ("source", "idly", "shu"),
        ("source", "continue", "dombrovskis"),
        ("source", "rose", "esa"),
    ],
    {},
)

RAIL_TEXT = (
    "Opposition leader Maria Keller accused the government of hiding the true cost of the new rail line.\n"
    "She said the project was already two billion euros over budget.\n"
    'Transport Minister Jonas Berg dismissed the figures as baseless. "The line is on time and\non budget," he said on '
    "Wednesday.\nThe minister warned that any further delay would cost taxpayers millions.\n"
    "Construction began in 2021.\n"
)
RAIL = (
    [
        ("keller", "actor", "Opposition leader Maria Keller", 1),
        ("government", "actor", "the government", 1),
        ("hiding", "claim", "hiding the true cost of the new rail line", 1),
        ("budget", "claim", "the project was already two billion euros over budget", 1),
        ("berg", "actor", "Transport Minister Jonas Berg", 1),
        ("figures", "denial", "the figures", 1),
        ("ontime", "claim", "The line is on time and\non budget", 1),
        ("minister", "actor", "The minister", 1),
        ("delay", "warning", "any further delay would cost taxpayers millions", 1),
    ],
    [
        ("source", "hiding", "keller"),
        ("target", "hiding", "government"),
        ("source", "budget", "keller"),
        ("source", "figures", "berg"),
        ("source", "ontime", "berg"),
        ("source", "delay", "minister"),
    ],
    {},
)

PROTEST_TEXT = (
    "Police in Lagos said on Friday that three people had been arrested after the protest.\n"
    "The city’s governor threatened to impose a curfew if the unrest continued.\n"
    "Protest organisers denied that they had planned any violence. “We marched peacefully,” said Ade Ojo, one of the "
    "organisers.\nThe protests will resume next week, according to a statement posted by the organisers.\n"
)
PROTEST = (
    [
        ("police", "actor", "Police in Lagos", 1),
        ("arrested", "claim", "three people had been arrested after the protest", 1),
        ("governor", "actor", "The city’s governor", 1),
        ("curfew", "warning", "impose a curfew if the unrest continued", 1),
        ("organisers", "actor", "Protest organisers", 1),
        ("violence", "denial", "they had planned any violence", 1),
        ("peacefully", "claim", "We marched peacefully", 1),
        ("ojo", "actor", "Ade Ojo", 1),
        ("resume", "claim", "The protests will resume next week", 1),
        ("theorganisers", "actor", "the organisers", "by the organisers"),
    ],
    [
        ("source", "arrested", "police"),
        ("source", "curfew", "governor"),
        ("source", "violence", "organisers"),
        ("source", "peacefully", "ojo"),
        ("source", "resume", "theorganisers"),
    ],
    {},
)

JOBS_TEXT = (
    "Reuters reported on Thursday, citing two people familiar with the matter, that the company planned to cut 500 "
    "jobs.\r\nIn a statement, the company said the report was “not true”.\r\nChief executive Lena Park later told "
    "employees that no decision had been made.\r\nUnion representative Tom Hale warned that workers would strike if "
    "any jobs were cut.\r\n"
)
JOBS = (
    [
        ("reuters", "actor", "Reuters", 1),
        ("people", "actor", "two people familiar with the matter", 1),
        ("cut", "claim", "the company planned to cut 500 jobs", 1),
        ("company", "actor", "the company", "the company said"),
        ("nottrue", "denial", "the report was “not true”", 1),
        ("park", "actor", "Chief executive Lena Park", 1),
        ("employees", "actor", "employees", 1),
        ("nodecision", "denial", "no decision had been made", 1),
        ("hale", "actor", "Union representative Tom Hale", 1),
        ("strike", "warning", "workers would strike if any jobs were cut", 1),
    ],
    [
        ("source", "cut", "reuters"),
        ("source", "cut", "people"),
        ("source", "nottrue", "company"),
        ("source", "nodecision", "park"),
        ("target", "nodecision", "employees"),
        ("source", "strike", "hale"),
    ],
    {},
)

# Three more texts (round 3) for the patterns a newcomer found missed: a name set off by commas (the actor is the noun
# phrase before it, as the actor guideline leaves out an apposition after a comma), plain noun-phrase subjects,
# threats and harms foreseen, place and time phrases after a cue, a pronoun after a headline; and sentences where
# nothing is attributed (narration, "Said" as a name, a cue with no content).
PORT_TEXT = (
    "Port strike talks collapse\n"
    "The port authority rejected the union’s demands as unaffordable on Tuesday.\n"
    "The union’s leader, Rosa Lima, said the talks had failed. “We will shut down every port in the country if they "
    "do not listen,” she told reporters.\n"
    "Industry groups denied any responsibility for the delays.\n"
    "The strike began in March and has cost exporters millions.\n"
    "Transport Minister Omar Said visited the docks on Wednesday.\n"
)
PORT = (
    [
        ("authority", "actor", "The port authority", 1),
        ("demands", "denial", "the union’s demands", 1),
        ("union", "actor", "the union", 1),
        ("leader", "actor", "The union’s leader", 1),
        ("failed", "claim", "the talks had failed", 1),
        ("shut", "warning", "We will shut down every port in the country if they do not listen", 1),
        ("groups", "actor", "Industry groups", 1),
        ("responsibility", "denial", "any responsibility for the delays", 1),
    ],
    [
        ("source", "demands", "authority"),
        ("target", "demands", "union"),
        ("source", "failed", "leader"),
        ("source", "shut", "leader"),
        ("source", "responsibility", "groups"),
    ],
    {},
)

ELECTION_TEXT = (
    "Election result disputed\n"
    "The opposition leader, Jonas Weber, claimed that the vote was rigged.\n"
    "The electoral commission dismissed the complaints. Its chairwoman, Ingrid Holm, said the count had been checked "
    "twice.\n"
    "International observers warned that the delay could lead to unrest.\n"
    "Weber spoke at a rally in Hamburg on Friday. He said that his party would challenge the result in court.\n"
    "Holm warned reporters in Berlin.\n"
    "Police said the rally was peaceful.\n"
)
ELECTION = (
    [
        ("opposition", "actor", "The opposition leader", 1),
        ("rigged", "claim", "the vote was rigged", 1),
        ("commission", "actor", "The electoral commission", 1),
        ("complaints", "denial", "the complaints", 1),
        ("chair", "actor", "Its chairwoman", 1),
        ("twice", "claim", "the count had been checked twice", 1),
        ("observers", "actor", "International observers", 1),
        ("unrest", "warning", "the delay could lead to unrest", 1),
        ("weber", "actor", "Weber", "Weber spoke"),
        ("court", "claim", "his party would challenge the result in court", 1),
        ("police", "actor", "Police", 1),
        ("peaceful", "claim", "the rally was peaceful", 1),
    ],
    [
        ("source", "rigged", "opposition"),
        ("source", "complaints", "commission"),
        ("source", "twice", "chair"),
        ("source", "unrest", "observers"),
        ("source", "court", "weber"),
        ("source", "peaceful", "police"),
    ],
    {},
)

HOSPITAL_TEXT = (
    "City hospital chief resigns\n"
    "Dr. Alan Price, the hospital’s chief executive, resigned on Monday. “I am proud of what we achieved here,” he "
    "said.\n"
    "The health ministry said the audit had found serious failings.\n"
    "Mayor Ana Ruiz warned at a council meeting on Friday that the hospital would lose its licence if nothing "
    "changed. “If we delay again, patients will suffer,” she said.\n"
    "Ruiz warned reporters at city hall.\n"
    "The audit report was published in May.\n"
)
HOSPITAL = (
    [
        ("price", "actor", "Dr. Alan Price", 1),
        ("proud", "claim", "I am proud of what we achieved here", 1),
        ("ministry", "actor", "The health ministry", 1),
        ("failings", "claim", "the audit had found serious failings", 1),
        ("ruiz", "actor", "Mayor Ana Ruiz", 1),
        ("licence", "warning", "the hospital would lose its licence if nothing changed", 1),
        ("hospital", "actor", "the hospital", "the hospital would"),
        ("suffer", "warning", "If we delay again, patients will suffer", 1),
    ],
    [
        ("source", "proud", "price"),
        ("source", "failings", "ministry"),
        ("source", "licence", "ruiz"),
        ("target", "licence", "hospital"),
        ("source", "suffer", "ruiz"),
    ],
    {},
)


def _find(text: str, needle: str, occurrence: int | str) -> int:
    """Start of the ``occurrence``-th whole-word occurrence of ``needle`` in ``text`` (1-based), or of ``needle``
    within the context string ``occurrence`` (which must occur once)."""
    if isinstance(occurrence, str):
        if text.count(occurrence) != 1:
            raise ValueError(f"{occurrence!r} occurs {text.count(occurrence)} times")
        return text.find(occurrence) + occurrence.index(needle)
    at = -1
    seen = 0
    while seen < occurrence:
        at = text.find(needle, at + 1)
        if at == -1:
            raise ValueError(f"{needle!r} occurs fewer than {occurrence} times")
        before = text[at - 1] if at else " "
        after = text[at + len(needle)] if at + len(needle) < len(text) else " "
        if not (before.isalnum() or after.isalnum()):
            seen += 1
    return at


def build(name: str, text: str, gold: tuple) -> AnnotationSet:
    """The annotation set of ``text`` with the gold spans and links, saved as ``name.annotations.json`` here."""
    spans_given, links, notes = gold
    spans = []
    for key, label, needle, occurrence in spans_given:
        start = _find(text, needle, occurrence)
        note = notes.get(key, "")
        spans.append(
            Span(
                id=key, start=start, end=start + len(needle), label=label, text=needle, note=note, uncertain=bool(note)
            )
        )
    relations = [Relation(id=f"r{n}", type=kind, from_=a, to=b) for n, (kind, a, b) in enumerate(links, 1)]
    annotations = AnnotationSet(
        Document.from_text(text),
        default_label_set(),
        "gold",
        spans,
        relations,
        document_id=f"{name}.txt",
        status=DocumentStatus.DONE,
    )
    annotation_file.save(annotations, HERE / f"{name}.annotations.json")
    return annotations


def main() -> None:
    sample = (HERE / "sample-article.txt").read_text(encoding="utf-8")
    build("sample-article", sample, SAMPLE)
    build("trade", TRADE_TEXT, TRADE)
    build("rail", RAIL_TEXT, RAIL)
    build("protest", PROTEST_TEXT, PROTEST)
    build("jobs", JOBS_TEXT, JOBS)
    build("port", PORT_TEXT, PORT)
    build("election", ELECTION_TEXT, ELECTION)
    build("hospital", HOSPITAL_TEXT, HOSPITAL)


if __name__ == "__main__":
    main()

"""Generated news documents for the model's tests: templated sentences with random names and statements, from a
seeded RNG, so the same seed gives the same documents. Spans: the speaker (actor) and the statement (claim, warning
or denial, by the template), with exact code-point offsets."""

from __future__ import annotations

import random

from annotator.model.span import Span

FIRST = ["Anna", "Boris", "Chen", "Dara", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemal", "Lena"]
LAST = ["Price", "Novak", "Okafor", "Silva", "Tanaka", "Weber", "Haddad", "Kowalski", "Moreau", "Lindqvist"]
ROLE = ["the minister", "a spokeswoman", "the mayor", "an official", "the senator", "the governor"]
CLAIMS = [
    "the talks made progress",
    "the budget was balanced",
    "exports grew last year",
    "the new line opens in May",
    "schools will reopen soon",
    "the report was published on time",
]
WARNINGS = [
    "the plan will face sanctions",
    "strikes would cost the region dearly",
    "delays could lead to serious harm",
    "the city may pay a heavy price",
]
DENIALS = [
    "the ministry hid the figures",
    "any deal had been signed",
    "the police used force",
    "funds were misused",
]
FILLER = [
    "The meeting took place in the capital on Monday.",
    "Prices rose slightly over the summer.",
    "Trains ran on a reduced timetable.",
    "Talks are expected to resume next week.",
]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def sentence(rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    """One sentence and its spans as ``(start, end, label)`` relative to the sentence."""
    kind = rng.choice(["claim", "claim", "warning", "denial", "quote", "filler"])
    name = _name(rng)
    if kind == "filler":
        return rng.choice(FILLER), []
    if kind == "quote":
        statement = rng.choice(CLAIMS)
        text = f"“{statement[0].upper()}{statement[1:]},” {name} said."
        return text, [(1, 1 + len(statement), "claim"), (text.index(name), text.index(name) + len(name), "actor")]
    verb, pool = {"claim": ("said", CLAIMS), "warning": ("warned", WARNINGS), "denial": ("denied", DENIALS)}[kind]
    statement = rng.choice(pool)
    role = rng.choice(ROLE)
    text = f"{name}, {role}, {verb} that {statement}."
    at = text.index(statement)
    return text, [(0, len(name), "actor"), (at, at + len(statement), kind)]


def document(rng: random.Random, sentences: int = 6) -> tuple[str, list[Span]]:
    """A document of ``sentences`` sentences separated by spaces or line breaks, with its spans."""
    text = ""
    spans: list[Span] = []
    for index in range(sentences):
        if index:
            text += rng.choice([" ", "\n", "\r\n"])
        part, found = sentence(rng)
        for start, end, label in found:
            spans.append(
                Span(
                    id=f"s{len(spans) + 1}",
                    start=len(text) + start,
                    end=len(text) + end,
                    label=label,
                    text=part[start:end],
                )
            )
        text += part
    return text, spans


def corpus(seed: int, documents: int, sentences: int = 6) -> list[tuple[str, list[Span]]]:
    """``documents`` generated documents from ``random.Random(seed)``."""
    rng = random.Random(seed)
    return [document(rng, sentences) for _ in range(documents)]

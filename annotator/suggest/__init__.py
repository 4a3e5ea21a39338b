"""Suggestions: spans the app proposes for the analyst to accept or reject, and the suggesters that make them.

No Qt here. A suggester is anything with a ``name`` and ``suggest(document, context) -> list[Suggestion]``
(:class:`~annotator.suggest.suggestion.Suggester`); :mod:`annotator.suggest.registry` names the ones the app and the
command line offer. Offsets are Unicode code points into the document's exact text, half-open ``[start, end)``, as
everywhere in the model.
"""

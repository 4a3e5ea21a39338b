"""Review without Qt: comparing annotators' spans on one text, agreement measures, and merging into gold."""

"""A test plug-in suggester: leaves ``ran.marker`` in its working directory (so a test sees that it ran, and where),
then suggests each document's first word as an actor (the plug-in protocol: JSONL documents in, JSONL out)."""

import json
import pathlib
import sys

pathlib.Path("ran.marker").write_text("ran\n", encoding="utf-8")
for line in sys.stdin:
    document = json.loads(line)
    words = document["text"].split()
    first = words[0] if words else ""
    suggestions = [{"start": 0, "end": len(first), "label": "organizer", "score": 0.9}] if first else []
    print(json.dumps({"id": document["id"], "suggestions": suggestions}))

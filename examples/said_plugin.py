#!/usr/bin/env python3
"""An example plug-in suggester for `annotator suggest --suggester cmd:"python3 examples/said_plugin.py"`.

Reads JSONL documents on stdin (one {"id", "text", ...} object a line) and writes one line a document on stdout:
{"id", "suggestions": [...], "suggested_relations": []}. It suggests every run of capitalized words right before
"said" as an actor. Standard library only; offsets are code points (Python string indices), as the protocol wants.
"""

import json
import re
import sys

SAID = re.compile(r"((?:[A-Z][\w.’'-]*\s+)*[A-Z][\w.’'-]*)\s+said\b")

for line in sys.stdin:
    if not line.strip():
        continue
    document = json.loads(line)
    suggestions = [
        {
            "id": f"p{number}",
            "start": match.start(1),
            "end": match.end(1),
            "label": "actor",
            "score": 0.6,
            "reason": "capitalized words before 'said'",
        }
        for number, match in enumerate(SAID.finditer(document["text"]), 1)
    ]
    print(json.dumps({"id": document["id"], "suggestions": suggestions, "suggested_relations": []}, ensure_ascii=False))

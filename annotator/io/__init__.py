"""Reading and writing files: text decoding, the annotation JSON format, label sets, settings (no Qt)."""

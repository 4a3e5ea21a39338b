"""Qt-free domain model: spans, label sets, annotation sets, commands and offset conversion."""

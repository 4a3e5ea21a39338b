"""Converting what analysts receive (web pages, Word and PDF files, a URL) into a document's exact text, with a
record of where the text came from. Each converter is its own module; :mod:`.source` holds what they share."""

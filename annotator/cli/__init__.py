"""The command line without Qt: ``annotator export``, ``annotator import`` and ``annotator validate``."""

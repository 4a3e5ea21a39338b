"""Data files shipped with annotator (installed as the ``annotator.resources`` package)."""

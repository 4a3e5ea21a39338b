"""The document's text and what is drawn on it, and the panels beside it: the view, its room under lines, the span
highlighter, the span list and panel, the find bar, the label bar, the legend, the guidelines panel.
"""

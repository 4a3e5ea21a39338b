"""Projects: a folder of documents annotated over days by one or more annotators, with autosave, crash recovery,
locks and re-anchoring. Qt-free: the UI drives these modules."""

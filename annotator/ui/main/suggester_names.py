"""The built-in model and attribution suggesters' names, without importing them (the model's CRF features and
tokenizer take 0.1 s to import, the attribution rules 0.03 s; the window needs only the names to start). They equal
:data:`annotator.suggest.model.NAME` and :data:`annotator.suggest.attribution.NAME` (a test checks)."""

MODEL = "model"
ATTRIBUTION = "attribution"

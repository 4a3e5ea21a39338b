"""The built-in model suggester's name, without importing the model (its CRF features and tokenizer take 0.1 s to
import; the window needs only the name to start). It equals :data:`annotator.suggest.model.NAME` (a test checks)."""

MODEL = "model"

"""Package data: label_sets."""

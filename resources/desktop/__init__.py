"""Package data: desktop."""

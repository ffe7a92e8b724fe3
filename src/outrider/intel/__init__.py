"""Intelligence extraction: reports in, incidents out (pure pipeline)."""

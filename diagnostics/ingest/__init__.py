"""The ingestion pass: the module's walk, decode and state, with a cancel event."""

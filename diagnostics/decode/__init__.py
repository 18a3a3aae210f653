"""Streams and per-type decoders producing the exact envelope the module sends."""

"""Benchmarks: scripts that print figures about the pipeline (not tests; nothing asserts)."""

"""Performance benchmarks: synthetic agencies and the figures of issue 8 (`python -m bench`)."""

"""Benchmarks, kept out of the default test run (see tests/benchmarks/run.py)."""

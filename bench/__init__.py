"""Benchmarks and crash tests (run as scripts; see bench/README.md)."""

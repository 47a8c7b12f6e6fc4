"""Benchmarks for luocdo: a seeded synthetic corpus and throughput/latency measurements.

Not part of the installed package; run from the repository root
(``python -m benchmarks.synth``, ``python -m benchmarks.bench_extract``, …).
"""

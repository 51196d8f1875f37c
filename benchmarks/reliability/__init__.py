"""Helpline's reliability report: bounded, local-only probes, each a function of a size returning a figure.

``python -m benchmarks.reliability`` runs every probe at its full size and writes docs/reliability.md;
tests/e2e/test_reliability.py runs the same probes small and expects every case to hold.
"""

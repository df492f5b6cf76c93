"""Benchmarks of issue 10: figures and ratios against baselines measured in the same run.

Run them all with `.venv/bin/python -m benchmarks` (see README, "Performance").
"""

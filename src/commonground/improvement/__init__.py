"""Improvement: what to fix first, levels over time, benchmarks, peer insights and trainings."""

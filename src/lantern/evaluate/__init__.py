"""Scores Lantern's findings (a JSON export) against a simulated town's truth."""

from lantern.evaluate.from_truth import export_from_truth
from lantern.evaluate.score import evaluate

__all__ = ["evaluate", "export_from_truth"]

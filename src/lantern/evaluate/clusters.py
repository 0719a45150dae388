"""Scores for comparing two clusterings of the same items (and the counts
behind precision, recall and F1).

A clustering is a mapping item -> cluster label. Pairwise scores count pairs of
items placed together; B-cubed averages, item by item, how much of an item's
cluster is right; the adjusted Rand index is the Rand index corrected for
chance (Hubert and Arabie, 1985), 0 for a random clustering and 1 for a perfect one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from math import comb
from typing import TypeVar


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision, recall and F1. ``None`` where a ratio has nothing to divide
    by in a way that is not vacuously perfect (see ``prf``)."""

    precision: float | None
    recall: float | None
    f1: float

    def as_dict(self) -> dict[str, float | None]:
        return {
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


def prf(tp: float, fp: float, fn: float) -> Scores:
    """Precision, recall and F1 from true positives, false positives and false
    negatives. Nothing to find and nothing claimed is perfect (1.0); claiming
    nothing when there was something to find leaves precision undefined
    (``None``) and recall and F1 at 0."""
    if tp + fp:
        precision: float | None = tp / (tp + fp)
    else:
        precision = 1.0 if fn == 0 else None
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return Scores(precision, recall, f1)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


Item = TypeVar("Item", bound=Hashable)


def contingency(
    truth: Mapping[Item, Hashable], system: Mapping[Item, Hashable]
) -> Counter[tuple[Hashable, Hashable]]:
    """How many items fall in each (true cluster, system cluster) cell. Only
    items present in both clusterings count."""
    if truth.keys() != system.keys():
        raise ValueError("both clusterings must cover the same items")
    return Counter((truth[item], system[item]) for item in truth)


def pairwise(truth: Mapping[Item, Hashable], system: Mapping[Item, Hashable]) -> Scores:
    """Precision and recall over pairs of items: a pair is a true positive when
    both clusterings put its two items together."""
    cells = contingency(truth, system)
    tp = sum(comb(n, 2) for n in cells.values())
    true_pairs = sum(comb(n, 2) for n in Counter(truth.values()).values())
    system_pairs = sum(comb(n, 2) for n in Counter(system.values()).values())
    return prf(tp, system_pairs - tp, true_pairs - tp)


def bcubed(truth: Mapping[Item, Hashable], system: Mapping[Item, Hashable]) -> Scores:
    """B-cubed precision and recall (Bagga and Baldwin, 1998): for each item, the
    share of its system cluster that is in its true cluster (precision) and the
    share of its true cluster that is in its system cluster (recall), averaged
    over items. F1 is the harmonic mean of the two averages."""
    n = len(truth)
    if n == 0:
        return Scores(1.0, 1.0, 1.0)
    cells = contingency(truth, system)
    true_sizes = Counter(truth.values())
    system_sizes = Counter(system.values())
    precision = sum(c * c / system_sizes[s] for (_, s), c in cells.items()) / n
    recall = sum(c * c / true_sizes[t] for (t, _), c in cells.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def adjusted_rand_index(truth: Mapping[Item, Hashable], system: Mapping[Item, Hashable]) -> float:
    """The adjusted Rand index. When chance agreement is already total (for
    instance every item alone in both clusterings) it is 1.0 for identical
    clusterings and 0.0 otherwise."""
    n = len(truth)
    cells = contingency(truth, system)
    index = sum(comb(c, 2) for c in cells.values())
    true_sum = sum(comb(c, 2) for c in Counter(truth.values()).values())
    system_sum = sum(comb(c, 2) for c in Counter(system.values()).values())
    total = comb(n, 2)
    expected = true_sum * system_sum / total if total else 0.0
    maximum = (true_sum + system_sum) / 2
    if maximum == expected:
        same = len(cells) == len(set(truth.values())) == len(set(system.values()))
        return 1.0 if same else 0.0
    return (index - expected) / (maximum - expected)

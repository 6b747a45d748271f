"""'Did you mean ...?', at a bounded cost however large the library.

``difflib.get_close_matches`` runs a full sequence match against every candidate that
passes its cheap filters; with 10,000 ids that look alike (``user-drill-00042``) that is
a third of a second per unknown id, and 200 unknown ids in a few routines took minutes.
Here only the candidates whose length could reach the cutoff are looked at, cheaply
ranked, and the full match is run on the few best; answers are memoised, and one catalog
load spends at most a fixed budget on suggestions (after that, none are offered).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from difflib import SequenceMatcher

CUTOFF = 0.6
SHORTLIST = 16  # candidates given the full (slow) match, best cheap scores first
BUDGET = 200_000  # cheap comparisons per Suggester: well under a second


class Suggester:
    """Close matches among a fixed set of candidates, memoised and within a budget."""

    def __init__(self, candidates: Iterable[str], budget: int | None = None) -> None:
        self.by_length: dict[int, list[str]] = {}
        for candidate in sorted(set(candidates)):
            self.by_length.setdefault(len(candidate), []).append(candidate)
        self.budget = BUDGET if budget is None else budget
        self.memo: dict[str, str | None] = {}

    def closest(self, word: str, cutoff: float = CUTOFF) -> str | None:
        """The best candidate with a similarity of at least ``cutoff``, or None."""
        if word in self.memo:
            return self.memo[word]
        found = self._search(word, cutoff)
        self.memo[word] = found
        return found

    def _search(self, word: str, cutoff: float) -> str | None:
        if self.budget <= 0 or not word:
            return None
        matcher = SequenceMatcher()
        matcher.set_seq2(word)
        # a ratio is 2·M / (len(a) + len(b)) with M ≤ the shorter length: lengths too far
        # apart can never reach the cutoff, so they are never looked at
        shortlist: list[tuple[float, str]] = []
        for length, group in self.by_length.items():
            if 2 * min(length, len(word)) / (length + len(word)) < cutoff:
                continue
            for candidate in group:
                if self.budget <= 0:
                    break
                self.budget -= 1
                matcher.set_seq1(candidate)
                score = matcher.quick_ratio()
                if score < cutoff:
                    continue
                entry = (score, candidate)
                if len(shortlist) < SHORTLIST:
                    heapq.heappush(shortlist, entry)
                elif entry > shortlist[0]:
                    heapq.heapreplace(shortlist, entry)
        best: tuple[float, str] | None = None
        for _, candidate in shortlist:
            matcher.set_seq1(candidate)
            score = matcher.ratio()
            if score >= cutoff and (best is None or (score, candidate) > best):
                best = (score, candidate)
        return best[1] if best else None


def closest(word: str, candidates: Iterable[str], cutoff: float = CUTOFF) -> str | None:
    """One 'did you mean' among ``candidates`` (bounded like :class:`Suggester`)."""
    return Suggester(candidates).closest(word, cutoff)

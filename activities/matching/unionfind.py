"""Union-find over positions 0..n-1: which of them end up joined (islands, round blocks)."""

from __future__ import annotations


class DisjointSets:
    """Sets of positions, joined pairwise; `find` names each set by one of its members."""

    __slots__ = ("_root",)

    def __init__(self, size: int) -> None:
        self._root = list(range(size))

    def find(self, x: int) -> int:
        root = self._root
        while root[x] != x:
            root[x] = root[root[x]]  # path halving keeps later finds short
            x = root[x]
        return x

    def join(self, keep: int, other: int) -> None:
        """Merge `other`'s set into `keep`'s (whose name it then takes)."""
        self._root[self.find(other)] = self.find(keep)

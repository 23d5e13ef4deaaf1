"""A worker's copy of the store in memory (``serve --in-memory``).

The catalogue's questions take about 5.6 times as long on the store read-only on disk (RocksDB)
as on the same quads in pyoxigraph's in-memory store (benchmarks/README.md, "Serving"). With
``--in-memory`` each worker copies the current generation into memory when it starts, and again
when a load has made another generation current (checked before every job): faster answers for
memory (a copy per worker: about the size of the store's quads, times the workers).
"""
from __future__ import annotations

import pyoxigraph as ox

from ..query.store import DiskStoreEngine


class MemoryCopy(DiskStoreEngine):
    """The store on disk (query.store), its current generation copied into memory when opened."""

    def _open_current(self) -> None:
        before = self.generation
        super()._open_current()  # the generation read-only on disk, when it changed
        if self.generation != before:
            copy = ox.Store()
            copy.bulk_extend(self.store.quads_for_pattern(None, None, None, None))
            self.store = copy

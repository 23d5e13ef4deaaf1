"""A download written as a stream and hashed as it is written (known_files.remember_digest).

VoID (describe.py) and the manifest (outputs.commit) give the sha256 of every download; a file
of the build's stage whose digest was said as it was written is not read again for them
(known_files.file_digest). The TriG, Turtle, N-Triples and JSON-LD downloads of a series are about
300 MB at 100 reports: hashing them while the bytes are in hand spares reading them back.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .known_files import remember_digest


class Hashed:
    """A file of an outputs.Stage written as a stream whose sha256 is made from the bytes as they
    are written (:func:`remember_digest` when it is closed without an error), so that neither
    VoID (describe.py) nor the manifest reads it again: ``with Hashed(path) as out: out.write(b)``.
    The bytes are hashed while they are in hand, where reading the file back (the downloads of a
    series: about 300 MB at 100 reports) cost the reads besides the hashing. Small pieces (a
    node, a run of statements) are gathered into blocks of ``BLOCK`` bytes, hashed and written
    at once: tens of thousands of small hash updates and writes cost more than the join."""

    BLOCK = 1 << 18

    def __init__(self, path: Path):
        self.path, self.digest = path, hashlib.sha256()
        self._file = open(path, "wb")
        self._pending: list = []
        self._size = 0

    def write(self, data) -> int:
        n = len(data)
        self._pending.append(data)
        self._size += n
        if self._size >= self.BLOCK:
            self._flush()
        return n

    def writelines(self, chunks) -> None:
        for chunk in chunks:
            self.write(chunk)

    def _flush(self) -> None:
        data = self._pending[0] if len(self._pending) == 1 else b"".join(self._pending)
        self._pending, self._size = [], 0
        self.digest.update(data)
        self._file.write(data)

    def __enter__(self) -> "Hashed":
        return self

    def __exit__(self, kind, *exc) -> None:
        try:
            if kind is None and self._pending:
                self._flush()
        finally:
            self._file.close()
        if kind is None:
            remember_digest(self.path, self.digest.hexdigest())


__all__ = ["Hashed"]

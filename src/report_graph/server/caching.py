"""Answers cached and revalidated: the published data changes only when the store is reloaded.

Every answer depends on the store's generation (``query.store``: a new one for every load) and on
the request (path, query string, body, the negotiated format or ``Accept``, the language). Its
ETag is a hash of both, known before anything runs: a client that sends it back in
``If-None-Match`` gets a 304 at once, and an answer given before is served from memory (an LRU
bounded in bytes). ETags are weak (``W/``): two workers may write the same graph with its
``@prefix`` lines in another order.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path

from ..query.store import current_generation
from .pool import Answer


def data_version(store_dir: Path) -> str:
    """What changes when the store is reloaded: the name of its current generation."""
    gen = current_generation(store_dir)
    return gen.name if gen is not None else "none"


def etag(*parts: object) -> str:
    digest = hashlib.sha256("\x00".join(map(str, parts)).encode("utf-8", "surrogateescape")).hexdigest()
    return f'W/"{digest[:32]}"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Does ``If-None-Match`` name ``tag`` (weak comparison, ``*`` included)?"""
    if not if_none_match:
        return False
    wanted = tag.removeprefix("W/")
    return any(t.strip() == "*" or t.strip().removeprefix("W/") == wanted for t in if_none_match.split(","))


class AnswerCache:
    """The answers given, by ETag, least recently used dropped past ``max_bytes``."""

    def __init__(self, max_bytes: int = 64 << 20, max_item: int = 4 << 20):
        self.max_bytes, self.max_item = max_bytes, max_item
        self._items: OrderedDict[str, Answer] = OrderedDict()
        self.size = 0
        self.hits = 0

    def get(self, tag: str) -> Answer | None:
        answer = self._items.get(tag)
        if answer is not None:
            self._items.move_to_end(tag)
            self.hits += 1
        return answer

    def put(self, tag: str, answer: Answer) -> None:
        if self.max_bytes <= 0 or answer.status != 200 or len(answer.body) > self.max_item or tag in self._items:
            return
        self._items[tag] = answer
        self.size += len(answer.body)
        while self.size > self.max_bytes:
            _, old = self._items.popitem(last=False)
            self.size -= len(old.body)

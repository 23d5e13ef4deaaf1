"""The halo of each unit of a series (units.py: what the module says it is), made per unit only
when it is asked for.

Every unit's key (memo.unit_key) is made at every build, from its halo's lines; its halo's
triples are needed only when it is validated (a unit whose key is not kept). Made in full for
every unit, the triples cost the units times the triples they share: the software agent's
``rdf:type`` and a series' meetings are in the halo of every report. So :class:`Halo` keeps the
links found once (node -> (unit, nodes.Triple) of the units holding them), and gives:

- :meth:`Halo.lines`, a unit's halo's N-Triples lines, from sets made once per shared node: all
  its lines, and for each unit the lines only it gives (a unit's halo takes the others' lines,
  not its own: all of them but those only it gives). The same set as the lines of
  :meth:`Halo.triples`, with no loop over each unit's triples (tests/test_validate_memo.py);
- :meth:`Halo.triples` (``halo[name]``), a unit's halo's triples, in the order the unit's graph was
  always given them, made when the unit is validated.
"""
from __future__ import annotations

from collections.abc import Mapping

MANY = object()  # given by more than one unit


def _owned(pairs) -> tuple[frozenset, dict]:
    """(unit, item) pairs -> all the items, and unit -> the items only that unit gives."""
    owner: dict = {}
    for unit, item in pairs:
        found = owner.get(item)
        if found is None:
            owner[item] = unit
        elif found is not MANY and found != unit:
            owner[item] = MANY
    only: dict = {}
    for item, unit in owner.items():
        if unit is not MANY:
            only.setdefault(unit, set()).add(item)
    return frozenset(owner), only


def _others(owned: tuple[frozenset, dict], unit: str) -> frozenset:
    """The items of :func:`_owned` some unit but ``unit`` gives."""
    every, only = owned
    mine = only.get(unit)
    return every - mine if mine else every


class Halo(Mapping):
    """unit name -> its halo's triples (in the series' terms), for the units that have one.
    ``nodes``: unit name -> the shared nodes it holds (texts); ``links``: shared node -> (unit,
    Triple) of the triples about or into it; ``hop2``: node -> (unit, Triple) of the triples
    about it, for the nodes the links lead to; ``terms``: what makes the triples' terms from their
    lines, all at once (Series.triples_of, for those kept without: nodes.GraphNodes)."""

    def __init__(self, nodes: dict[str, frozenset], links: dict, hop2: dict, terms=None):
        # lines -> their triples' terms, for the triples kept without them (nodes.py): one parse
        # for a unit's halo, not one a line (a parser made and run per line cost 0.03 s a unit)
        self.terms = terms
        self.shared = {name: sorted(held) for name, held in nodes.items() if held}
        self.links, self.hop2 = links, hop2
        self._lines: dict[str, frozenset] = {}
        self._link_lines: dict = {}  # shared node -> _owned of its links' lines
        self._reached: dict = {}  # shared node -> _owned of the nodes (with hop2) its links lead to
        self._hop2_lines: dict = {}  # node -> _owned of its hop2 triples' lines
        self._last: tuple = (None, None)  # the last unit's triples (one unit's alive at a time)
        self._any = any(links.get(n) for held in self.shared.values() for n in held)

    def __bool__(self) -> bool:  # some unit gets other units' triples
        return self._any

    def __iter__(self):
        return (name for name in self.shared if self.lines(name))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __getitem__(self, name: str) -> list[tuple]:
        found = self.triples(name)
        if not found:
            raise KeyError(name)
        parsed = iter(self.terms([t[0] for t in found if t[4] is None]) if self.terms else ())
        return [t[4] if t[4] is not None else next(parsed) for t in found]

    def triples(self, name: str) -> list:
        """The nodes.Triple of unit ``name``'s halo: for each shared node it holds (in order), the
        other units' links about or into it, then, after those about it, the other units'
        triples about the node each leads to."""
        if self._last[0] == name:  # asked for its key's lines (units.Splitter.parts), then validated
            return self._last[1]
        out = []
        hop2 = self.hop2
        for n in self.shared.get(name, ()):
            extra = [t for u, t in self.links.get(n, ()) if u != name]
            for t in list(extra):
                if t[1] == n and t[3] is not None:
                    extra.extend(t2 for u, t2 in hop2.get(t[3], ()) if u != name)
            out.extend(extra)
        self._last = (name, out)
        return out

    def lines(self, name: str) -> frozenset:
        """The N-Triples lines of unit ``name``'s halo (the lines of :meth:`triples`)."""
        found = self._lines.get(name)
        if found is None:
            found = set()
            for n in self.shared.get(name, ()):
                found.update(_others(self._links_of(n), name))
                for m in _others(self._reached_of(n), name):
                    found.update(_others(self._hop2_of(m), name))
            found = self._lines[name] = frozenset(found)
        return found

    def _links_of(self, n: str) -> tuple:
        found = self._link_lines.get(n)
        if found is None:
            found = self._link_lines[n] = _owned((u, t[0]) for u, t in self.links.get(n, ()))
        return found

    def _reached_of(self, n: str) -> tuple:
        found = self._reached.get(n)
        if found is None:
            hop2 = self.hop2
            found = self._reached[n] = _owned((u, t[3]) for u, t in self.links.get(n, ())
                                              if t[1] == n and t[3] is not None and t[3] in hop2)
        return found

    def _hop2_of(self, m: str) -> tuple:
        found = self._hop2_lines.get(m)
        if found is None:
            found = self._hop2_lines[m] = _owned((u, t[0]) for u, t in self.hop2[m])
        return found

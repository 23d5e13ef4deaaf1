"""What rdf_input.py checks before a parser sees a file (its docstring says why): JSON-LD contexts
(nothing fetched: ours inlined, any other refused; bounded work when contexts repeat) and XML
(no external DTD or entity, no expansion beyond a bound, bounded depth)."""
from __future__ import annotations

import json
import re
from xml.parsers import expat

from .errors import InputError, UnsafeInputError
from .resources import package_file
from .vocab import DEFAULT_BASE

EXPANSION = 10  # XML entities may expand to this many times the file's size (plus a megabyte)
MAX_XML_DEPTH = 256
CONTEXT_WORK = 5_000_000  # JSON-LD with several contexts: their entries x objects (about 10 s)
CONTEXT_FILE = "context.jsonld"  # how our JSON-LD downloads named their context, before its IRI


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


# --------------------------------------------------------------------------------- JSON-LD contexts


def bundled_context() -> dict:
    """The ``@context`` object of the bundled context.jsonld."""
    return json.loads(package_file(CONTEXT_FILE).read_text("utf-8"))["@context"]


def _local_contexts(text: str, where: str, base: str) -> str:
    """The document with our own context inlined wherever it is named; InputError for any other."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"not valid JSON: {e.msg} (column {e.colno})", where, line=e.lineno) from None
    except RecursionError:
        raise InputError("not valid JSON-LD: nested too deeply", where) from None
    ours = {CONTEXT_FILE, DEFAULT_BASE + CONTEXT_FILE, base + CONTEXT_FILE}
    bundled = None
    objects = contexts = entries = 0  # JSON objects outside contexts; @context keys; entries of their values
    todo: list = [(doc, False)]
    while todo:  # every object of the document, without recursion; whether it is in a context
        node, in_context = todo.pop()
        if isinstance(node, list):
            todo.extend((n, in_context) for n in node)
            continue
        if not isinstance(node, dict):
            continue
        for key in ("@context", "@import"):
            value = node.get(key)
            refs = value if isinstance(value, list) else [value]
            for ref in refs:
                if isinstance(ref, str) and ref not in ours:
                    raise UnsafeInputError(f"refers to the JSON-LD context <{ref}> ({key}), which is not bundled: "
                                           f"report-graph refuses any remote JSON-LD context (it reads no network "
                                           f"resource) and knows only its own ({DEFAULT_BASE + CONTEXT_FILE})", where)
            if any(isinstance(ref, str) for ref in refs):
                bundled = bundled or bundled_context()
                if key == "@context":
                    node[key] = [bundled if isinstance(r, str) else r for r in refs] if isinstance(value, list) \
                        else bundled
                else:  # @import: the bundled terms, overridden by the importing context's own
                    del node["@import"]
                    node.update({**bundled, **node})
        if "@context" in node:
            value = node["@context"]
            contexts += 1
            entries += sum(len(c) for c in (value if isinstance(value, list) else [value]) if isinstance(c, dict))
        objects += not in_context
        todo.extend((v, in_context or k == "@context") for k, v in node.items())
    if contexts > 1 and entries * objects > CONTEXT_WORK:
        raise UnsafeInputError(f"its {contexts:,} contexts ({entries:,} entries) could be merged again for each of its "
                               f"{objects:,} objects: refused (more than {CONTEXT_WORK:,} entries to process, about "
                               "10 s; a scoped or embedded context copies the whole active context each time)", where)
    return json.dumps(doc)


# --------------------------------------------------------------------------------- XML


def check_xml(data: bytes, where: str) -> None:
    """Refuse what could make an XML parser expand, fetch or recurse without bound (module docstring)."""
    entities: dict[str, int] = {}
    depth = [0]

    def doctype(name, system_id, public_id, internal):
        if system_id or public_id:
            raise UnsafeInputError(f"the DOCTYPE names an external DTD ({system_id or public_id}); "
                                   "report-graph reads no other file", where)

    def entity(name, is_parameter, value, base, system_id, public_id, notation):
        if is_parameter:
            raise UnsafeInputError(f"declares the parameter entity %{name}; (refused: entity expansion)", where)
        if value is None or system_id or public_id or notation:
            raise UnsafeInputError(f"declares the external entity &{name}; ({system_id or public_id}): "
                                   "report-graph reads no other file", where)
        if "&" in value or "%" in value:
            raise UnsafeInputError(f"declares the entity &{name}; in terms of other entities "
                                   "(refused: entity expansion, as in a 'billion laughs' file)", where)
        entities[name] = len(value)

    def attlist(element, name, kind, default, required):
        raise UnsafeInputError(f"the DOCTYPE declares attributes of <{element}> (ATTLIST): refused, as RDF/XML "
                               "needs none and their defaults would be expanded in every element", where)

    def start(name, attrs):
        if depth[0] == 0 and entities:  # the DTD is read: how far would its entities expand?
            names = "|".join(re.escape(n) for n in entities)
            expanded = sum(entities[m.group(1).decode()] for m in re.finditer(rf"&({names});".encode(), data))
            if expanded > EXPANSION * len(data) + 1_000_000:
                raise UnsafeInputError(f"its entities expand to {_mb(expanded)} (refused: more than {EXPANSION} "
                                       "times the file's size)", where)
        depth[0] += 1
        if depth[0] > MAX_XML_DEPTH:
            raise InputError(f"elements nested more than {MAX_XML_DEPTH} deep", where, line=parser.CurrentLineNumber)

    def end(name):
        depth[0] -= 1

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.AttlistDeclHandler = attlist
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise InputError(f"not valid XML: {expat.ErrorString(e.code)} (column {e.offset + 1})", where,
                         line=e.lineno) from None

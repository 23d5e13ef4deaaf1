"""``/query/NAME?param=value``: the catalogue's questions (``queries/*.rq``) over HTTP.

Answered as CSV or JSON (``query.render``: the rows ``report-graph query`` prints, list columns
sorted), chosen by ``Accept`` or a ``.csv``/``.json`` suffix, and as HTML by the pages, when the
server has them. ``/query`` lists the questions (JSON): name, question in en and fr, parameters,
columns, example values. A bad parameter is a 400 that says which and why.
"""
from __future__ import annotations

import json

from ..errors import QueryError
from ..query import catalogue, get, render
from .negotiate import CSV, JSON
from .pool import Answer, text_answer


def answer(engine, name: str, params: dict[str, str], media_type: str, cap: int) -> Answer:
    """In a worker: the rows of question ``name`` with ``params``, as CSV or JSON."""
    try:
        rows = engine.run(get(name), **params)
    except QueryError as e:
        return text_answer(404 if str(e).startswith("no question called") else 400, str(e))
    fmt = CSV if media_type == CSV.media_type else JSON
    body = render(rows, "csv" if fmt is CSV else "json").encode("utf-8")
    if len(body) > cap:
        return text_answer(400, f"the answer is larger than the server's result cap ({cap:,} bytes)")
    return Answer(200, fmt.content_type, body)


def listing(base_url: str = "/query/") -> bytes:
    """The catalogue as JSON: each question, its parameters, columns and an example URL."""
    out = []
    for name, q in catalogue().items():
        example = "&".join(f"{k}={v}" for k, v in q.example.items())
        out.append({"name": name, "question": dict(q.question), "url": base_url + name,
                    "example": base_url + name + (f"?{example}" if example else ""),
                    "parameters": [{"name": p.name, "type": p.type, "description": p.description,
                                    "optional": p.optional, "default": p.default} for p in q.params],
                    "columns": [{"name": c.name, "description": c.description, "list": c.is_list}
                                for c in q.columns]})
    return (json.dumps(out, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

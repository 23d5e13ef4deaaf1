"""Shared by test_rdf_input*.py: a call bounded in time (a hang fails the test), an RDF/XML frame."""
from __future__ import annotations

import threading


def bounded(function, *args, seconds: float = 30):
    """``function(*args)`` in a thread: its result or exception, or a failure if it hangs."""
    out: list = []

    def run():
        try:
            out.append(("ok", function(*args)))
        except BaseException as e:  # noqa: BLE001
            out.append(("error", e))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert out, f"hung for {seconds} s"
    return out[0]


RDF_OPEN = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
            '<rdf:Description rdf:about="http://example.org/a">')
RDF_CLOSE = "</rdf:Description></rdf:RDF>\n"

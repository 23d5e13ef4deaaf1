"""Shared by test_query_guard.py and test_query_store_faults.py: the command in a subprocess, a tiny data file."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published" / "report-graph.trig"
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))


def run(*args, timeout=120, env=None):
    """``python -m report_graph ARGS`` in a subprocess: (exit code, stdout, stderr, seconds)."""
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "report_graph", *map(str, args)], capture_output=True, text=True,
                       timeout=timeout, env=env or ENV)
    return r.returncode, r.stdout, r.stderr, time.monotonic() - t0


def tiny(tmp_path, name="tiny.ttl", objects=("1",)) -> Path:
    p = tmp_path / name
    p.write_text("".join(f"<http://e.org/s> <http://e.org/p> {o} .\n" for o in objects), "utf-8")
    return p

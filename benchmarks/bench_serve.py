"""Serving speed: `report-graph serve` against Oxigraph's own server and rdflib-endpoint, same run.

Each server is started in its own process on 127.0.0.1 over the published TriG (data/published),
with the union of the named graphs as its default graph:

- `report-graph serve` (ours), with its answer cache, and again with ``--no-cache`` (every
  request runs its query in a worker), and with ``--no-cache --in-memory`` (each worker queries a
  copy of the store in memory);
- `oxigraph serve-read-only --union-default-graph` (the ``oxigraph`` pip package), the store loaded
  by ``oxigraph load``;
- `rdflib-endpoint serve` (its CLI reads the file into an rdflib Dataset with ``default_union``).

The mix: every catalogue question with its example values, bound by a ``VALUES`` block
(``query.bind_with_values``, as for any endpoint), sent as SPARQL Protocol GETs asking for JSON
results. First every server's answers are checked to be the same (rows compared as sets, list
cells sorted); then ``CLIENTS`` threads send the mix round-robin for at most ``SECONDS`` seconds
or ``REQUESTS`` requests each, whichever comes first. Printed per server: requests/s, p50 and p99
latency, errors, and the resident memory of the server (its workers included) before and after.

Then, on each of our servers (cached, uncached, in memory), each on its own line, measured alike:
the pages (HTML, as a browser asks: the home page, the seed's report and a recommendation of it,
each checked to be a 200 page first) and a download (``report-graph.ttl``). Ratios are against
Oxigraph's rate on the mix in the same run (the machine is shared: read ratios, not rates).

Run: ``python benchmarks/bench_serve.py [SECONDS]``. 127.0.0.1 only; every loop is bounded.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from report_graph.query import catalogue  # noqa: E402
from report_graph.query.endpoint import bind_with_values  # noqa: E402

TRIG = ROOT / "data" / "published" / "report-graph.trig"
CLIENTS = 8
SECONDS = 15.0  # per server
REQUESTS = 400  # per client, at most
ACCEPT = {"Accept": "application/sparql-results+json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
REPORT = "doc/CTOC/COP/WG.7/2015/6"
EXTRAS = {  # path, headers: the pages and a download, on our server
    "page: home": ("/", BROWSER),
    "page: report": (f"/{REPORT}", BROWSER),
    "page: recommendation": (f"/{REPORT}/para/12", BROWSER),
    "download: report-graph.ttl": ("/download/report-graph.ttl", {}),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mix() -> list[tuple[str, str, set[str]]]:
    """(name, query text with the example values bound, list columns) of every question."""
    out = []
    for name, q in catalogue().items():
        text = bind_with_values(q.text, q.bindings(q.example)) if q.params else q.text
        out.append((name, text, {c.name for c in q.columns if c.is_list}))
    return out


def rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants (KiB), from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return total


def start(cmd: list[str], url: str, env=None) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    end = time.monotonic() + 120
    while time.monotonic() < end:
        try:
            if httpx.get(url, params={"query": "ASK {}"}, headers=ACCEPT, timeout=5).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd[0]} ended: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.3)
    stop(proc)
    raise RuntimeError(f"{' '.join(cmd)} did not answer in 120 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)  # its own session: the server and its workers
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def normalized(body: dict, lists: set[str]) -> list:
    rows = []
    for b in body["results"]["bindings"]:
        row = []
        for var in sorted(body["head"]["vars"]):
            value = b.get(var, {}).get("value")
            if var in lists and value is not None:
                value = "; ".join(sorted(v for v in value.split("; ") if v))
            row.append((var, value))
        rows.append(tuple(row))
    return sorted(rows, key=repr)


def answers(url: str, queries) -> dict[str, list]:
    with httpx.Client(timeout=300) as c:
        out = {}
        for name, text, lists in queries:
            r = c.get(url, params={"query": text}, headers=ACCEPT)
            r.raise_for_status()
            out[name] = normalized(r.json(), lists)
        return out


def load(request, seconds: float) -> dict:
    """``CLIENTS`` threads calling ``request(client, i) -> ok`` for at most ``seconds`` seconds or
    ``REQUESTS`` calls each."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        mine, bad = [], 0
        with httpx.Client(timeout=60) as c:
            for i in range(REQUESTS):
                if time.monotonic() > deadline:
                    break
                t0 = time.perf_counter()
                try:
                    ok = request(c, i + k)
                except httpx.HTTPError:
                    ok = False
                mine.append(time.perf_counter() - t0)
                bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    return {"requests": len(latencies), "rate": len(latencies) / wall, "errors": errors[0],
            "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000}


def sparql_mix(url: str, queries):
    return lambda c, i: c.get(url, params={"query": queries[i % len(queries)][1]}, headers=ACCEPT).status_code == 200


def fetch(url: str, headers: dict[str, str]):
    return lambda c, i: c.get(url, headers=headers).status_code == 200


def checked(url: str, headers: dict[str, str]) -> list[str]:
    """[] when ``url`` answers 200 (a page: HTML), else what went wrong."""
    r = httpx.get(url, headers=headers, timeout=300)
    html = headers is BROWSER
    ok = r.status_code == 200 and (not html or r.headers["content-type"].startswith("text/html"))
    return [] if ok else [f"{r.status_code} {r.headers.get('content-type')}"]


def main(argv: list[str]) -> int:
    seconds = float(argv[0]) if argv else SECONDS
    queries = mix()
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    servers = {}
    try:
        subprocess.run(["oxigraph", "load", "--location", str(work / "oxigraph"), "--file", str(TRIG)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "report_graph", "load", "--store", str(work / "store"), "-q", str(TRIG)],
                       check=True, env=env)
        ports = {k: free_port() for k in ("ours", "ours-nocache", "ours-memory", "oxigraph", "rdflib")}
        ours = [sys.executable, "-m", "report_graph", "serve", "--store", str(work / "store"), "-q",
                "--published", str(TRIG.parent)]
        commands = {
            "report-graph serve": (ours + ["--port", str(ports["ours"])], ports["ours"], env),
            "report-graph serve --no-cache": (ours + ["--port", str(ports["ours-nocache"]), "--no-cache"],
                                              ports["ours-nocache"], env),
            "report-graph serve --no-cache --in-memory": (
                ours + ["--port", str(ports["ours-memory"]), "--no-cache", "--in-memory"], ports["ours-memory"], env),
            "oxigraph serve-read-only": (["oxigraph", "serve-read-only", "--location", str(work / "oxigraph"),
                                          "--bind", f"127.0.0.1:{ports['oxigraph']}", "--union-default-graph"],
                                         ports["oxigraph"], None),
            "rdflib-endpoint": (["rdflib-endpoint", "serve", str(TRIG), "--host", "127.0.0.1",
                                 "--port", str(ports["rdflib"])], ports["rdflib"], None),
        }
        reference = None
        rows = []
        for label, (cmd, port, cmd_env) in commands.items():
            path = {"oxigraph serve-read-only": "/query", "rdflib-endpoint": "/"}.get(label, "/sparql")
            url = f"http://127.0.0.1:{port}{path}"
            proc = start(cmd, url, cmd_env)
            servers[label] = proc
            try:
                got = answers(url, queries)
                if reference is None:
                    reference = got
                differ = [n for n in reference if got.get(n) != reference[n]]
                jobs = [(label, sparql_mix(url, queries), differ)]
                if label.startswith("report-graph serve"):
                    root = f"http://127.0.0.1:{port}"
                    jobs += [(f"{label}, {what}", fetch(root + path, headers), checked(root + path, headers))
                             for what, (path, headers) in EXTRAS.items()]
                for line, request, wrong in jobs:
                    before = rss_kib(proc.pid)
                    result = load(request, seconds)
                    after = rss_kib(proc.pid)
                    rows.append((line, result, before, after, wrong))
                    print(f"{line}: {result['rate']:.1f} req/s, p50 {result['p50']:.0f} ms, p99 {result['p99']:.0f} ms, "
                          f"{result['errors']} errors, RSS {before // 1024} -> {after // 1024} MiB; "
                          f"answers {'same' if not wrong else 'DIFFER: ' + ', '.join(wrong)}", flush=True)
            finally:
                stop(proc)
        base_rate = next(r for label, r, *_ in rows if label.startswith("oxigraph"))["rate"] or 1.0
        print()
        print(f"{len(queries)} catalogue questions, {CLIENTS} clients, at most {seconds:g} s or "
              f"{REQUESTS} requests a client per line; ratio: requests/s over Oxigraph's on the questions")
        print()
        print("| server | requests | req/s | × Oxigraph | p50 ms | p99 ms | errors | RSS before → after (MiB) | same answers |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for label, r, before, after, differ in rows:
            print(f"| {label} | {r['requests']} | {r['rate']:.1f} | {r['rate'] / base_rate:.2f} | {r['p50']:.0f} | "
                  f"{r['p99']:.0f} | {r['errors']} | {before / 1024:.0f} → {after / 1024:.0f} | "
                  f"{'yes' if not differ else 'no: ' + ', '.join(differ)} |")
    finally:
        for proc in servers.values():
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

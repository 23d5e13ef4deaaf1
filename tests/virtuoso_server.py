"""A private Virtuoso for the tests: own virtuoso.ini in a temporary folder, free ports on 127.0.0.1.

Debian's ``virtuoso-opensource`` package provides ``virtuoso-t`` (.ci/run installs it). The
server is started in the foreground as a child process, waited for (bounded), and stopped at
the end; its database is thrown away with the folder. A fresh database has the user ``dba``
with the password ``dba``: fine for a throw-away server that only listens on loopback.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

BINARY = "virtuoso-t"
USER, PASSWORD = "dba", "dba"
STARTUP_SECONDS = 60

INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 0
CaseMode           = 2
DirsAllowed        = ., {d}/bulk
NumberOfBuffers    = {buffers}
MaxDirtyBuffers    = {dirty}
ThreadsPerQuery    = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {d}/vsp
ServerThreads        = 4
MaxClientConnections = 4
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = 100000
MaxQueryExecutionTime      = 60
MaxQueryCostEstimationTime = 400
"""


def available() -> bool:
    return shutil.which(BINARY) is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Virtuoso:
    """``with Virtuoso(folder) as v: v.sparql_url``: a running private server."""

    def __init__(self, folder: Path, buffers: int = 10000):
        self.folder = Path(folder)
        self.buffers = buffers  # 8 KB pages of cache (Virtuoso's advice: 85,000 a GB of memory given)
        self.process: subprocess.Popen | None = None
        self.http_port = self.sql_port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def isql(self) -> str:
        """HOST:PORT of its SQL port (``load --virtuoso-isql``)."""
        return f"127.0.0.1:{self.sql_port}"

    @property
    def bulk_dir(self) -> Path:
        """A folder of its DirsAllowed (``load --bulk-dir``)."""
        return self.folder / "bulk"

    @property
    def sparql_url(self) -> str:
        return self.url + "/sparql"

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text("utf-8", "replace")[-3000:] if path.exists() else "(no log)"

    def start(self) -> "Virtuoso":
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "vsp").mkdir(exist_ok=True)
        (self.folder / "bulk").mkdir(exist_ok=True)  # in DirsAllowed: files for the bulk loader
        self.http_port, self.sql_port = _free_port(), _free_port()
        ini = self.folder / "virtuoso.ini"
        ini.write_text(INI.format(d=self.folder, sql_port=self.sql_port, http_port=self.http_port,
                                  buffers=self.buffers, dirty=self.buffers * 3 // 5), "utf-8")
        out = open(self.folder / "stdout.log", "wb")
        self.process = subprocess.Popen([BINARY, "-f", "-c", str(ini)], cwd=self.folder, stdout=out,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.sparql_url + "?query=ASK%7B%7D", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not answer within {STARTUP_SECONDS}s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self) -> "Virtuoso":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def must_run() -> bool:
    """In CI (CI=true) a missing Virtuoso is a failure, not a reason to skip."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")

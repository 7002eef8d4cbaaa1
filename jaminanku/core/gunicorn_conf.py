"""gunicorn settings for serving the app (`gunicorn -c python:jaminanku.core.gunicorn_conf jaminanku.wsgi:application`;
the benchmarks serve it so too, bench/server.py).

A worker's first request used to pay the app's lazy start: Django imports the URLconf — every view and API module,
ninja's routers, pydantic's models, about 450 modules — on the first call, then the hot read compiles its SQL and
loads the translations: 1.2-1.3 s for the first request each worker served (gunicorn's access log on the loaded
benchmark machine; 1.28 s of it the imports under cProfile), while a warm worker answers in 2-6 ms. Whichever
member's call met a fresh worker waited that long, and in the read benchmark, whose health check warms only the
worker that answers it, that one request was the p99 (wrk counts the requests a stalled connection did not send as
slow ones, so one stall of half a second at one client is a p99 of several hundred ms). Now the master process loads
the app and answers a few calls to itself before it forks (`preload_app`, `when_ready`), so every worker — the
first ones and any started later — is born warm. (With the app preloaded, a HUP does not load new code: restart
the master, or USR2, on a deploy.)

The master then closes its database connections (a socket shared by forked workers would mix their statements)
and freezes what it has built (`gc.freeze()`): the tens of thousands of long-lived objects of Django, ninja and
pydantic are then never scanned by a worker's full garbage collection (each one took 80-200 ms of a worker's time
on the loaded benchmark machine), and their memory pages stay shared between the workers instead of being copied
when the collector touches them — what Python's documentation of gc.freeze advises for a server that forks.
"""

from __future__ import annotations

import gc
import io
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any

preload_app = True

# the calls a warm worker must have seen once: the hot bearer read (an unknown token: the whole path up to the
# refusal, the SQL statement included, nothing written), a session read of the same route, and the health check
WARM_UP = [
    ("/api/v1/me/balance", {"HTTP_AUTHORIZATION": "Bearer jk_warm-up-" + "x" * 43}),
    ("/api/v1/me/balance", {"HTTP_AUTHORIZATION": "Bearer jk_warm-up-" + "x" * 43, "HTTP_ACCEPT_LANGUAGE": "en"}),
    ("/api/v1/me/balance", {}),
    ("/api/v1/health", {}),
]


def _host() -> str:
    """A host name the app accepts (its ALLOWED_HOSTS), so the warm-up calls reach the views."""
    if "django.conf" not in sys.modules:
        return "localhost"
    from django.conf import settings

    for host in settings.ALLOWED_HOSTS:
        name = host.lstrip(".")
        if name and name != "*" and not name.startswith("["):
            return name
    return "localhost"


def warm_up(application: Callable[..., Iterable[bytes]]) -> list[str]:
    """Answers WARM_UP through the WSGI application in this process; the statuses, for the log and the tests."""
    statuses: list[str] = []
    host = _host()
    for path, headers in WARM_UP:
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": host,
            "SERVER_PORT": "443",
            "HTTP_HOST": host,
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            **headers,
        }

        def start_response(status: str, response_headers: list[Any], exc_info: Any = None) -> Any:
            statuses.append(status)
            return lambda data: None

        body = application(environ, start_response)
        for _chunk in body:
            pass
        close = getattr(body, "close", None)
        if close is not None:
            close()  # Django's request_finished: the request's own clean-up, as after a real call
    return statuses


def _close_database_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def when_ready(server: Any) -> None:
    """In the master, after the app is loaded and before any worker is forked."""
    logging.disable(logging.WARNING)  # the warm-up's refusals are not worth a "401 Unauthorized" in the log
    try:
        statuses = warm_up(server.app.wsgi())
        server.log.info("warm-up calls answered %s", ", ".join(statuses))
    except Exception:  # a warm-up that fails must not stop the server: the workers then start cold, as before
        server.log.exception("warm-up failed; workers start cold")
    finally:
        logging.disable(logging.NOTSET)
        _close_database_connections()
    gc.collect()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    # nothing of the master's may be used by two processes; closed again in case a hook opened one after warm-up
    _close_database_connections()

"""Online geocoding on request: geopy's Nominatim client against a real local server."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from sahel_events.exc import OnlineServiceError, UsageError
from sahel_events.geo import online

SEARCH_ANSWER = [
    {
        "place_id": 1,
        "lat": "15.9199",
        "lon": "2.3961",
        "display_name": "Ménaka, Cercle de Ménaka, Région de Ménaka, Mali",
        "class": "place",
        "type": "town",
    }
]
REVERSE_ANSWER = {
    "place_id": 2,
    "lat": "16.2717",
    "lon": "-0.0447",
    "display_name": "Gao, Région de Gao, Mali",
    "address": {"city": "Gao", "country": "Mali", "country_code": "ml"},
}


class NominatimHandler(BaseHTTPRequestHandler):
    """Answers Nominatim's /search and /reverse JSON; /search?q=boom fails with 500."""

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        self.server.requests.append((time.monotonic(), url.path, query))  # type: ignore[attr-defined]
        if url.path == "/search" and query.get("q") == ["boom"]:
            self._send(500, {"error": "internal"})
        elif url.path == "/search" and query.get("q") == ["nowhere"]:
            self._send(200, [])
        elif url.path == "/search":
            self._send(200, SEARCH_ANSWER)
        elif url.path == "/reverse":
            self._send(200, REVERSE_ANSWER)
        else:
            self._send(404, {"error": "not found"})

    def _send(self, status: int, payload: object) -> None:
        body = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), NominatimHandler)
    httpd.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def _nominatim(server: ThreadingHTTPServer, cache: Path, **kwargs: object):
    host, port = server.server_address[:2]
    return online(
        "nominatim",
        domain=f"{host}:{port}",
        scheme="http",
        user_agent="sahel_events-tests",
        cache_dir=cache,
        **kwargs,
    )


def test_geocode_through_geopy_nominatim(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    geocoder = _nominatim(server, tmp_path, min_delay_seconds=0)
    location = geocoder.geocode("Ménaka, Mali")
    assert location.latitude == pytest.approx(15.9199)
    assert location.longitude == pytest.approx(2.3961)
    assert location.address.startswith("Ménaka")
    assert location.raw["type"] == "town"
    [(_, path, query)] = server.requests  # type: ignore[attr-defined]
    assert path == "/search"
    assert query["q"] == ["Ménaka, Mali"]
    assert query["format"] == ["json"]


def test_a_repeated_query_is_answered_from_the_disk_cache(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    first = _nominatim(server, tmp_path, min_delay_seconds=0).geocode("Ménaka, Mali")
    # A new geocoder object, as in a new session: the cache is on disk.
    again = _nominatim(server, tmp_path, min_delay_seconds=0)
    second = again.geocode("Ménaka, Mali")
    assert len(server.requests) == 1  # type: ignore[attr-defined]
    assert again.requests_sent == 0
    assert (second.latitude, second.longitude, second.raw) == (
        first.latitude,
        first.longitude,
        first.raw,
    )
    assert (tmp_path / "online-geocoding.sqlite").is_file()


def test_not_found_is_cached_too(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    geocoder = _nominatim(server, tmp_path, min_delay_seconds=0)
    assert geocoder.geocode("nowhere") is None
    assert geocoder.geocode("nowhere") is None
    assert len(server.requests) == 1  # type: ignore[attr-defined]


def test_requests_are_spaced_by_the_rate_limit(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    geocoder = _nominatim(server, tmp_path, min_delay_seconds=0.4)
    for query in ("Gao", "Kidal", "Ménaka"):
        geocoder.geocode(query)
    times = [request[0] for request in server.requests]  # type: ignore[attr-defined]
    assert len(times) == 3
    # A lower bound set by the limiter, not a speed claim.
    assert all(later - earlier >= 0.35 for earlier, later in itertools.pairwise(times))


def test_nominatim_defaults_to_one_request_per_second(tmp_path: Path) -> None:
    geocoder = online("nominatim", user_agent="x", cache_dir=tmp_path)
    assert geocoder._geocode.min_delay_seconds == 1.0
    assert online("photon", cache_dir=tmp_path)._geocode.min_delay_seconds == 0.0


def test_reverse_through_geopy_nominatim(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    geocoder = _nominatim(server, tmp_path, min_delay_seconds=0)
    location = geocoder.reverse((16.27, -0.04))
    assert location.raw["address"]["city"] == "Gao"
    geocoder.reverse((16.27, -0.04))
    assert [request[1] for request in server.requests] == ["/reverse"]  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        geocoder.reverse((120, 0))


def test_a_server_error_becomes_a_clear_message(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    geocoder = _nominatim(server, tmp_path, min_delay_seconds=0)
    with pytest.raises(
        OnlineServiceError, match=r"nominatim at http://127\.0\.0\.1:\d+ for 'boom' failed"
    ):
        geocoder.geocode("boom")
    # Failures are not cached: the next try asks again.
    with pytest.raises(OnlineServiceError):
        geocoder.geocode("boom")
    assert len(server.requests) == 2  # type: ignore[attr-defined]


def test_an_unreachable_service_names_the_service(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    geocoder = online(
        "nominatim",
        domain=f"127.0.0.1:{port}",
        scheme="http",
        user_agent="t",
        cache_dir=tmp_path,
        min_delay_seconds=0,
    )
    with pytest.raises(OnlineServiceError, match=f"nominatim at http://127.0.0.1:{port}") as error:
        geocoder.geocode("Gao")
    assert error.value.exit_code == 2


def test_unknown_service_and_empty_query_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no geocoding service named"):
        online("no-such-service", cache_dir=tmp_path)
    with pytest.raises(UsageError, match=r"cannot set up googlev3: .*api_key"):
        online("googlev3", cache_dir=tmp_path)
    geocoder = online("nominatim", user_agent="t", cache_dir=tmp_path)
    with pytest.raises(UsageError, match="empty"):
        geocoder.geocode("  ")


def test_nothing_goes_online_by_default() -> None:
    # The offline gazetteer has no HTTP adapter use: geocoding works with the
    # socket layer disabled.
    import socket

    original = socket.socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the offline geocoder opened a socket")

    socket.socket = refuse  # type: ignore[assignment,misc]
    try:
        from sahel_events.geo import Gazetteer, geocode

        assert geocode("Gao").raw["alpha2"] == "ML"
        assert Gazetteer().reverse((16.27, -0.04)).raw["name"] == "Gao"
    finally:
        socket.socket = original  # type: ignore[misc]

"""Hostile inputs to the batch geocoder and hostile online geocoding services.

Batch (``sahel-events geocode --file``): a header of 100,000 columns, two
columns of the same name, CR/LF/comma/quote inside cells, a FIFO as input,
a device or the input itself as output, the output's mode and line ends.
Online: a server that drip-feeds its answer, one that sends an endless body,
answers without coordinates, answers with control characters, error messages
that would repeat a huge value. Every file is written by the test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sahel_events.exc import OnlineAnswerError, OnlineServiceError
from sahel_events.geo import geocode_file, online

CLI = [sys.executable, "-m", "sahel_events"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "geocode", *args], capture_output=True, text=True, timeout=180, check=False
    )


# --- batch ------------------------------------------------------------------------------


def test_a_header_of_100000_columns_is_refused_before_any_row(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    header = ",".join(f"c{i}" for i in range(100_000))
    path.write_text(f"place,{header}\nGao{',' * 100_000}\n", encoding="utf-8")
    result = _run("--file", str(path), "--column", "place", "-q")
    assert result.returncode == 2
    assert "100,001 columns; the limit is 2,000" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_header_columns_with_the_same_name_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("place,note,note\nGao,first,second\n", encoding="utf-8")
    result = _run("--file", str(path), "--column", "place", "-q")
    assert result.returncode == 2
    assert "two header columns are named 'note' (columns 2 and 3)" in result.stderr


def test_cells_with_cr_lf_comma_and_quote_are_quoted(tmp_path: Path) -> None:
    path = tmp_path / "cells.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [["place", "note"], ["Gao", "a\rb"], ["Kidal", "c\nd"], ["Ménaka", 'e,"f"']]
        )
    out = tmp_path / "out.csv"
    summary = geocode_file(path, "place", out=out)
    assert (summary.rows, summary.found, summary.not_found) == (3, 3, 0)
    payload = out.read_bytes()
    # Every record ends with CRLF; no bare CR or LF outside a quoted field.
    rows = list(csv.reader(io.StringIO(payload.decode("utf-8"), newline="")))
    assert [row[1] for row in rows[1:]] == ["a\rb", "c\nd", 'e,"f"']
    assert payload.count(b"\r\n") >= 4
    assert b'"a\rb"' in payload and b'"c\nd"' in payload and b'"e,""f"""' in payload


def test_the_output_has_mode_0644_less_umask_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("place\nGao\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    old = os.umask(0o022)
    try:
        geocode_file(path, "place", out=out)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert out.read_bytes().endswith(b"\r\n")
    assert b"\n" not in out.read_bytes().replace(b"\r\n", b"")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_as_input_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "places.csv"
    os.mkfifo(fifo)
    result = _run("--file", str(fifo), "--column", "place", "-q")
    assert result.returncode == 2
    assert "not a regular file" in result.stderr


def test_a_device_or_the_input_itself_as_output_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("place,extra\nGao,keep me\n", encoding="utf-8")
    result = _run("--file", str(path), "--column", "place", "--out", str(path), "-q")
    assert result.returncode == 2 and "the input file itself" in result.stderr
    assert path.read_text(encoding="utf-8") == "place,extra\nGao,keep me\n"
    result = _run("--file", str(path), "--column", "place", "--out", "/dev/null", "-q")
    assert result.returncode == 2 and "not a regular file" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# --- online -------------------------------------------------------------------------------

ANSWER = [{"place_id": 1, "lat": "15.9199", "lon": "2.3961", "display_name": "Ménaka, Mali"}]


class HostileHandler(BaseHTTPRequestHandler):
    """/search?q=drip drips its answer a byte every 0.2 s; q=endless streams
    without end; q=nocoords answers without lat/lon; q=controls answers with
    terminal control sequences; q=huge fails with a 1 MB error page."""

    def do_GET(self) -> None:
        query = self.path.split("q=", 1)[-1].split("&", 1)[0]
        self.server.hits.append(query)  # type: ignore[attr-defined]
        if query == "drip":
            body = json.dumps(ANSWER).encode()
            self._head(200, len(body))
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
        elif query == "endless":
            self._head(200, None)
            chunk = b" " * 65_536
            try:
                for _ in range(2_000):  # 131 MB if nobody stops reading
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif query == "nocoords":
            self._send(200, [{"place_id": 2, "display_name": "Nowhere"}])
        elif query == "controls":
            self._send(
                200, [{**ANSWER[0], "display_name": "M\x1b]52;c;ZXZpbA==\x07énaka\x1b[2J\r"}]
            )
        elif query.startswith("huge"):
            self._send(500, {"error": "x" * 1_000_000})
        else:
            self._send(200, ANSWER)

    def _head(self, status: int, length: int | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _send(self, status: int, payload: object) -> None:
        body = json.dumps(payload).encode()
        self._head(status, len(body))
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), HostileHandler)
    httpd.daemon_threads = True
    httpd.hits = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _geocoder(server: ThreadingHTTPServer, cache: Path, timeout: float = 1.0):
    host, port = server.server_address[:2]
    return online(
        "nominatim",
        domain=f"{host}:{port}",
        scheme="http",
        user_agent="sahel_events-tests",
        cache_dir=cache,
        min_delay_seconds=0,
        timeout=timeout,
    )


def test_a_drip_feeding_server_cannot_hold_a_call_past_its_timeout(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    geocoder = _geocoder(server, tmp_path, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(OnlineServiceError, match="within 1 s"):
        geocoder.geocode("drip")
    # The answer would take about 15 s; the call returns near its 1 s deadline.
    assert time.monotonic() - started < 10


def test_an_endless_body_is_cut_at_the_size_cap(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    geocoder = _geocoder(server, tmp_path, timeout=60)
    with pytest.raises(OnlineAnswerError, match="larger than 4,000,000 bytes"):
        geocoder.geocode("endless")


def test_an_answer_without_coordinates_is_an_error_never_cached(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    geocoder = _geocoder(server, tmp_path)
    for _ in range(2):
        with pytest.raises(OnlineAnswerError, match="without usable coordinates"):
            geocoder.geocode("nocoords")
    assert server.hits.count("nocoords") == 2  # type: ignore[attr-defined]


def test_answers_are_sanitised_before_caching(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    geocoder = _geocoder(server, tmp_path)
    location = geocoder.geocode("controls")
    assert location.address == "Ménaka"  # the OSC 52 clipboard write and CSI are gone
    again = _geocoder(server, tmp_path).geocode("controls")  # from the disk cache
    assert again.address == location.address
    assert "\x1b" not in json.dumps(again.raw)


def test_error_messages_are_cut_to_a_bounded_length(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    geocoder = _geocoder(server, tmp_path, timeout=10)
    with pytest.raises(OnlineServiceError) as caught:
        geocoder.geocode("huge")
    assert len(str(caught.value)) < 600
    with pytest.raises(OnlineServiceError) as caught:
        geocoder.geocode("huge" + "q" * 5_000)
    assert "(5,004 characters)" in str(caught.value)
    assert len(str(caught.value)) < 600

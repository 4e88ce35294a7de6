"""Online geocoders, only when asked: any geopy geocoder, rate-limited and cached on disk.

Sending the places one studies to a third party can put sources at risk, so
nothing in sahel_events goes online unless the user calls :func:`online`. Every
answer is stored in a SQLite file, so a repeated query never leaves the
machine twice (not-found answers included).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderServiceError, GeocoderTimedOut
from geopy.location import Location

from sahel_events._text import MESSAGE_VALUE_LIMIT, escape_controls, quote, strip_terminal
from sahel_events.exc import OnlineAnswerError, OnlineServiceError, UsageError

__all__ = [
    "CACHE_ENV",
    "DEFAULT_TIMEOUT_SECONDS",
    "MAX_ANSWER_BYTES",
    "MAX_MESSAGE_CHARS",
    "OnlineGeocoder",
    "default_cache_dir",
    "online",
]

#: The whole request's deadline when ``timeout`` is not given, in seconds.
DEFAULT_TIMEOUT_SECONDS = 10.0
#: Largest answer body read from a service; a bigger one is an error, never cached.
MAX_ANSWER_BYTES = 4_000_000
#: A value quoted in an error message is cut to this many characters.
MAX_MESSAGE_CHARS = MESSAGE_VALUE_LIMIT
#: Longest text kept in a cached answer (a display name is a few hundred).
MAX_CACHED_TEXT = 2_000
_READ_CHUNK = 65_536

#: Environment variable naming the cache folder (default ``~/.cache/sahel_events``).
CACHE_ENV = "SAHEL_EVENTS_CACHE"
CACHE_FILE = "online-geocoding.sqlite"

#: Nominatim's usage policy: at most one request per second.
_DEFAULT_MIN_DELAY = {"nominatim": 1.0}


class _AnswerTooLarge(GeocoderServiceError):
    """The body passed :data:`MAX_ANSWER_BYTES`."""


class DeadlineAdapter(URLLibAdapter):
    """geopy's urllib adapter with ``timeout`` as the deadline of the whole
    request (connect, headers and body: a server dripping one byte a second
    cannot hold a call past it) and a cap on the body size.

    geopy's own adapters apply ``timeout`` to each socket read, so a slow
    trickle never times out.
    """

    def __init__(self, *, proxies: Any, ssl_context: Any, max_bytes: int = MAX_ANSWER_BYTES):
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self.max_bytes = max_bytes
        self._deadline = threading.local()

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        outcome: dict[str, Any] = {}
        deadline = time.monotonic() + float(timeout)

        def call() -> None:
            self._deadline.value = deadline
            try:
                outcome["text"] = URLLibAdapter.get_text(
                    self, url, timeout=timeout, headers=headers
                )
            except BaseException as error:  # handed to the caller's thread
                outcome["error"] = error

        # A daemon thread: if the server never finishes, the call still returns
        # at the deadline and the thread ends with its socket's own timeout.
        worker = threading.Thread(target=call, daemon=True, name="sahel-events-online")
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            raise GeocoderTimedOut(f"no complete answer within {timeout:g} s")
        if "error" in outcome:
            raise outcome["error"]
        return str(outcome["text"])

    def _decode_page(self, page: Any) -> str:
        encoding = page.headers.get_content_charset() or "utf-8"
        deadline = getattr(self._deadline, "value", math.inf)
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                raise GeocoderTimedOut("the answer did not arrive within the timeout")
            chunk = page.read(_READ_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise _AnswerTooLarge(
                    f"the answer is larger than {self.max_bytes:,} bytes; not read further"
                )
            chunks.append(chunk)
        try:
            return b"".join(chunks).decode(encoding)
        except (LookupError, ValueError):
            raise GeocoderServiceError("the answer is not text in its declared encoding") from None


def _sanitized(value: Any, depth: int = 0) -> Any:
    """A JSON-able copy of an answer's raw data: strings stripped of control
    characters and cut to :data:`MAX_CACHED_TEXT`, nesting cut at depth 8."""
    if depth > 8:
        return None
    if isinstance(value, str):
        return strip_terminal(value)[:MAX_CACHED_TEXT]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {
            _sanitized(str(key), depth + 1): _sanitized(item, depth + 1)
            for key, item in list(value.items())[:200]
        }
    if isinstance(value, (list, tuple)):
        return [_sanitized(item, depth + 1) for item in list(value)[:200]]
    return _sanitized(str(value), depth + 1)


def _usable(location: Any) -> bool:
    """Whether an answer has real coordinates: finite, in range, and not (0, 0),
    which is what geopy makes of an answer with none."""
    try:
        latitude, longitude = float(location.latitude), float(location.longitude)
    except (TypeError, ValueError, AttributeError):
        return False
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return False
    if latitude == 0.0 and longitude == 0.0:
        return False
    return -90 <= latitude <= 90 and -180 <= longitude <= 180


def default_cache_dir() -> Path:
    """``$SAHEL_EVENTS_CACHE``, else ``$XDG_CACHE_HOME/sahel_events``, else ``~/.cache/sahel_events``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sahel_events"


class OnlineGeocoder:
    """A geopy geocoder behind a rate limiter and a persistent cache.

    Use :func:`online` to make one. ``geocode`` and ``reverse`` take the wrapped
    geocoder's own keyword arguments and return geopy Locations (or None).
    ``requests_sent`` counts the requests that actually went to the service.
    """

    def __init__(
        self,
        service: str,
        geocoder: Any,
        cache_path: Path,
        min_delay_seconds: float,
        max_retries: int,
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        self.service = service
        self.geocoder = geocoder
        self.cache_path = cache_path
        self.requests_sent = 0
        limiter = {
            "min_delay_seconds": min_delay_seconds,
            "max_retries": max_retries,
            "error_wait_seconds": min_delay_seconds,
            "swallow_exceptions": False,
        }
        self._geocode = RateLimiter(geocoder.geocode, **limiter)
        self._reverse = RateLimiter(geocoder.reverse, **limiter)
        self._lock = threading.Lock()
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._connect() as connection:
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS answers ("
                    "key TEXT PRIMARY KEY, service TEXT, method TEXT, query TEXT, answer TEXT)"
                )
        except sqlite3.Error as error:
            raise OnlineServiceError(
                f"cannot open the geocoding cache: {error}", path=cache_path
            ) from error

    @property
    def endpoint(self) -> str:
        """Where requests go, e.g. ``https://nominatim.openstreetmap.org``."""
        domain = getattr(self.geocoder, "domain", None) or getattr(self.geocoder, "api", "")
        scheme = getattr(self.geocoder, "scheme", "https")
        return f"{scheme}://{domain}" if domain and "://" not in str(domain) else str(domain)

    def geocode(self, query: str, *, exactly_one: bool = True, **kwargs: Any) -> Any:
        """Geocode with the online service, answering from the cache when possible."""
        if not isinstance(query, str) or not query.strip():
            raise UsageError("empty query: give a place name")
        return self._call("geocode", query, exactly_one, kwargs)

    def reverse(self, query: Any, *, exactly_one: bool = True, **kwargs: Any) -> Any:
        """Reverse-geocode ``(latitude, longitude)``, answering from the cache when possible."""
        from sahel_events.geo.gazetteer import _coordinates
        from sahel_events.geo.shapes import _check_coordinates

        latitude, longitude = _coordinates(query)
        _check_coordinates(latitude, longitude)  # ValueError, as geopy raises
        text = f"{latitude:.7f},{longitude:.7f}"
        return self._call("reverse", text, exactly_one, kwargs)

    def _call(self, method: str, query: str, exactly_one: bool, kwargs: dict[str, Any]) -> Any:
        key = self._key(method, query, kwargs)
        answer = self._cached(key)
        if answer is None:
            function = self._geocode if method == "geocode" else self._reverse
            where = f"{self.service} at {escape_controls(self.endpoint)} for {quote(query)}"
            try:
                with self._lock:
                    self.requests_sent += 1
                    result = function(query, exactly_one=False, **kwargs)
            except _AnswerTooLarge as error:
                raise OnlineAnswerError(f"{where}: {escape_controls(str(error))}") from None
            except Exception as error:  # geopy's errors, and anything a service breaks
                raise OnlineServiceError(
                    f"{where} failed: {type(error).__name__}: {quote(str(error))}"
                ) from None
            locations = list(result or [])
            if any(not _usable(location) for location in locations):
                raise OnlineAnswerError(
                    f"{where}: the service answered without usable coordinates; not cached"
                )
            answer = [
                [
                    _sanitized(location.address or ""),
                    float(location.latitude),
                    float(location.longitude),
                    _sanitized(location.raw),
                ]
                for location in locations
            ]
            self._store(key, method, query, answer)
        locations = [Location(address, (lat, lon), raw) for address, lat, lon, raw in answer]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def _key(self, method: str, query: str, kwargs: dict[str, Any]) -> str:
        material = json.dumps(
            [self.service, self.endpoint, method, query, kwargs],
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.cache_path, timeout=30)

    def _cached(self, key: str) -> list | None:
        connection = self._connect()
        try:
            row = connection.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        finally:
            connection.close()
        return None if row is None else json.loads(row[0])

    def _store(self, key: str, method: str, query: str, answer: list) -> None:
        connection = self._connect()
        try:
            with connection:
                connection.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                    (key, self.service, method, query, json.dumps(answer, ensure_ascii=False)),
                )
        finally:
            connection.close()


def _adapter_factory(max_bytes: int) -> Callable[..., DeadlineAdapter]:
    def make(*, proxies: Any, ssl_context: Any) -> DeadlineAdapter:
        return DeadlineAdapter(proxies=proxies, ssl_context=ssl_context, max_bytes=max_bytes)

    return make


def online(
    name: str = "nominatim",
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    min_delay_seconds: float | None = None,
    max_retries: int = 0,
    **geopy_kwargs: Any,
) -> OnlineGeocoder:
    """Opt into an online geocoder: any geopy service, rate-limited and cached on disk.

    >>> nominatim = online("nominatim", user_agent="my-project")    # doctest: +SKIP
    >>> nominatim.geocode("Ménaka, Mali")                            # doctest: +SKIP

    Args:
        name: A geopy service name (``"nominatim"``, ``"photon"``, ``"arcgis"`` ...).
        cache_dir: Folder of the answer cache (default :func:`default_cache_dir`).
        min_delay_seconds: Least time between two requests; default 1 s for
            Nominatim (its usage policy), 0 otherwise.
        max_retries: Retries after a failed request (geopy's RateLimiter).
        **geopy_kwargs: Passed to the geopy geocoder (``user_agent``, ``domain``,
            ``scheme``, ``api_key``, ``timeout`` ...). ``timeout`` (default
            :data:`DEFAULT_TIMEOUT_SECONDS`, or per call) is the deadline of
            each whole request; answers over :data:`MAX_ANSWER_BYTES` are refused.

    Raises:
        UsageError: for a service geopy does not know.
        OnlineServiceError: later, when the service cannot be reached or fails.
    """
    from geopy.exc import GeocoderNotFound, GeopyError
    from geopy.geocoders import get_geocoder_for_service

    from sahel_events._version import __version__

    try:
        geocoder_class = get_geocoder_for_service(name)
    except GeocoderNotFound:
        raise UsageError(f"geopy has no geocoding service named {name!r}") from None
    service = name.lower()
    if service == "nominatim":
        geopy_kwargs.setdefault("user_agent", f"sahel_events/{__version__}")
    geopy_kwargs.setdefault("adapter_factory", _adapter_factory(MAX_ANSWER_BYTES))
    # geopy's default of 1 s is per read; as the whole request's deadline it
    # would cut off a slow but honest service.
    geopy_kwargs.setdefault("timeout", DEFAULT_TIMEOUT_SECONDS)
    try:
        geocoder = geocoder_class(**geopy_kwargs)
    except (TypeError, ValueError, GeopyError) as error:  # e.g. a missing api_key
        raise UsageError(f"cannot set up {name}: {error}") from error
    if min_delay_seconds is None:
        min_delay_seconds = _DEFAULT_MIN_DELAY.get(service, 0.0)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return OnlineGeocoder(service, geocoder, folder / CACHE_FILE, min_delay_seconds, max_retries)

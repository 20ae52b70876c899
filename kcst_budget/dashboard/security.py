"""The served app trusts no other origin: what ``kcst dashboard`` adds to Fava's app.

The books hold text typed by people and imported from other systems, and Fava renders
some of it without escaping (a payee ``"><img src=x onerror=alert(1)>`` in its Journal).
The dashboard is also a writer of the books. So every response carries:

- a **Content-Security-Policy** that runs only the scripts Fava serves from its own
  origin: no inline script, no event-handler attribute, no ``eval`` (WebAssembly may be
  compiled: Fava's editor parses Beancount with it), nothing fetched or framed from
  elsewhere (styles may be inline: Fava and the dashboard page use them);
- ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and a same-origin
  ``Referrer-Policy``.

And every request is checked before Fava sees it:

- its ``Host`` must be a name the dashboard is served under: the loopback names
  (``127.0.0.1``, ``localhost``, ``[::1]``), or the address given to ``kcst dashboard
  --host``, with the port served on. A page elsewhere whose name is made to resolve to
  127.0.0.1 (DNS rebinding) is answered 421 and cannot read the books;
- a request that can change something (any method but GET and HEAD) must come from a page
  of the dashboard itself: its ``Origin``, or without one its ``Referer``, must be this
  origin. Anything else is answered 403 and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import Flask, Response, request

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SAFE_METHODS = frozenset({"GET", "HEAD"})

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",  # Fava's editor compiles its grammar (WebAssembly)
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def host_name(host: str) -> str:
    """How an address stands in a ``Host`` header: an IPv6 address in brackets."""
    host = host.strip().lower()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def allowed_hosts(host: str | None = None) -> tuple[str, ...]:
    """The names the dashboard answers to: the loopback names, and ``host`` if given."""
    names = list(LOOPBACK_NAMES)
    if host is not None and host_name(host) not in names:
        names.append(host_name(host))
    return tuple(names)


def _split_host(value: str) -> tuple[str, int | None] | None:
    """``name[:port]`` -> (name, port); None if it is no such thing."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value.partition("]")
        name += "]"
        port_text = rest[1:] if rest.startswith(":") else (None if not rest else "x")
    else:
        name, colon, port_text = value.partition(":")
        port_text = port_text if colon else None
    if port_text is None:
        return name, None
    if not port_text.isdigit():
        return None
    return name, int(port_text)


def secure(app: Flask, *, names: Iterable[str] = LOOPBACK_NAMES, port: int | None = None,
           read_only: bool = False) -> Flask:
    """Add the checks and headers above to ``app`` (Fava's Flask app). ``port``: the port
    served on (None: any, as under a test client). A ``read_only`` app refuses every write
    itself (HTTP 401, the contract of ``--read-only``), so its writes are left to it."""
    accepted = frozenset(host_name(name) for name in names)

    def host_is_ours(value: str) -> bool:
        parsed = _split_host(value)
        if parsed is None:
            return False
        name, given = parsed
        return name in accepted and (port is None or given == port or (given is None
                                                                        and port == 80))

    def same_origin(value: str) -> bool:
        if not value or value == "null":
            return False
        parts = urlsplit(value)
        return parts.scheme == request.scheme and parts.netloc.lower() == request.host.lower()

    def refuse_foreign_requests() -> Response | None:
        host = request.headers.get("Host", "")
        if not host_is_ours(host):
            return Response(f"kcst dashboard: Host {host!r} is not served here; open the "
                            "dashboard at the address kcst dashboard printed\n", status=421,
                            mimetype="text/plain")
        if request.method in SAFE_METHODS or read_only:
            return None
        origin = request.headers.get("Origin")
        if origin is not None:  # "null" (a sandboxed or file: page) is no origin of ours
            trusted = same_origin(origin)
        else:
            trusted = same_origin(request.headers.get("Referer", ""))
        if not trusted:
            return Response("kcst dashboard: a change must come from a page of this dashboard "
                            "(its Origin or Referer); nothing was written\n", status=403,
                            mimetype="text/plain")
        return None

    # first of all, before Fava loads or filters anything for the request
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_foreign_requests)

    @app.after_request
    def add_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app

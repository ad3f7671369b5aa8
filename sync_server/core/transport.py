"""The uvicorn HTTP protocol the server runs, with Nagle's algorithm switched off per connection.

With `--workers N` (N > 1) uvicorn binds the listening socket itself with `proto` 0, accepted
sockets inherit it, and asyncio only sets TCP_NODELAY on sockets that report IPPROTO_TCP
(uvicorn issue #3149). Nagle then holds back the body of every response written in two parts
(headers, body) until the client's delayed ACK: +40 ms on every keep-alive request after the
first, which is every request a syncing device makes. Measured on this server: 48 ms per pull
with 2 workers against 2.8 ms with 1.

The parser is httptools (C) where it is installed, else h11 (pure Python): with h11, parsing
and writing HTTP took about a fifth of the server's CPU under 100 syncing devices.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _NoDelay:
    """Put before a uvicorn protocol class: Nagle off on each accepted connection."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        set_nodelay(transport)
        super().connection_made(transport)  # type: ignore[misc]


# At module level: `--workers N` pickles the class into each worker.
class NoDelayH11Protocol(_NoDelay, H11Protocol):
    pass


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class NoDelayHttpToolsProtocol(_NoDelay, HttpToolsProtocol):
        pass

    HTTP_PROTOCOL: type[asyncio.Protocol] = NoDelayHttpToolsProtocol
except ImportError:  # httptools is not installed
    HTTP_PROTOCOL = NoDelayH11Protocol

"""A loopback TCP proxy in front of the database, to cut one process off from it."""

from __future__ import annotations

import asyncio
from typing import Literal

from sqlalchemy.engine import make_url

Mode = Literal["pass", "blackhole", "refuse"]


class FlakyProxy:
    """Forwards TCP to the database; `blackhole()` drops every byte, `refuse()` stops
    listening (connections are refused), `restore()` forwards again."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self.mode: Mode = "pass"
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            if self.mode != "pass":
                await reader.read(-1)  # swallowed: the client waits for an answer forever
                return
            up_reader, up_writer = await asyncio.open_connection(*self._target)
            self._writers.add(up_writer)
            await asyncio.gather(
                self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
            )
        except OSError:
            pass
        finally:
            writer.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                if self.mode == "pass":
                    writer.write(data)
                    await writer.drain()
        finally:
            writer.close()

    def _cut_all(self) -> None:
        for writer in list(self._writers):
            transport = writer.transport
            if transport is not None:
                transport.abort()
        self._writers.clear()

    def blackhole(self) -> None:
        self.mode = "blackhole"

    async def refuse(self) -> None:
        self.mode = "refuse"
        assert self._server is not None
        self._server.close()
        self._cut_all()
        await self._server.wait_closed()

    async def restore(self) -> None:
        # Connections that lost bytes are beyond saving: cut them, as a timeout would.
        self._cut_all()
        self.mode = "pass"
        if self._server is None or not self._server.is_serving():
            await self.start()

    async def stop(self) -> None:
        self._cut_all()
        if self._server is not None:
            self._server.close()


def proxied_url(db_url: str, proxy: FlakyProxy) -> str:
    """`db_url` with its host and port replaced by the proxy's."""
    url = make_url(db_url)
    return url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


async def proxy_for(db_url: str) -> FlakyProxy:
    """A started proxy forwarding to the database `db_url` names."""
    url = make_url(db_url)
    proxy = FlakyProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    return proxy

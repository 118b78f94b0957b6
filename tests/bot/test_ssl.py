"""`sslmode=require` for real: a loopback TLS terminator in front of the local PostgreSQL.

The local server has ssl=off (and a test must not change the server). So the TLS is
ended here: the terminator answers PostgreSQL's SSLRequest with "S", completes a TLS
handshake with a certificate made for the test, and forwards the decrypted stream to
the server. A migration over it shows the URL's `sslmode` reached asyncpg as TLS.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
import struct
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy.engine import make_url

from storage.db import Database
from storage.migrate import migrate, pending_migrations
from tests.conftest import PG_URL

SSL_REQUEST = struct.pack("!ii", 8, 80877103)


def _self_signed(directory: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


class TlsTerminator:
    """Accepts PostgreSQL clients over TLS (or plain), forwards plain to the server."""

    def __init__(self, upstream: tuple[str, int], context: ssl.SSLContext) -> None:
        self._upstream = upstream
        self._context = context
        self.tls = 0  # connections that completed a TLS handshake
        self.plain = 0  # connections that never asked for TLS
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            first = await reader.readexactly(8)
            if first == SSL_REQUEST:
                writer.write(b"S")
                await writer.drain()
                await writer.start_tls(self._context)
                self.tls += 1
                first = b""
            else:
                self.plain += 1
            up_reader, up_writer = await asyncio.open_connection(*self._upstream)
            up_writer.write(first)
            await asyncio.gather(
                self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
            )
        except (OSError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()


@pytest.fixture
async def fresh_database() -> AsyncIterator[str]:
    """An empty database on the test server: a real migration from zero.

    Emptied at the start rather than dropped at the end: DROP DATABASE waits for a
    checkpoint, which took ~30 s while other workers were writing."""
    url = make_url(PG_URL)
    name = f"{url.database}_ssl"
    admin = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
        ssl=False,
    )
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    own = url.set(database=name)
    conn = await asyncpg.connect(
        host=own.host,
        port=own.port,
        user=own.username,
        password=own.password,
        database=name,
        ssl=False,
    )
    try:
        await conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()
    yield own.render_as_string(hide_password=False)


@pytest.mark.postgresql
async def test_a_sslmode_require_url_migrates_over_tls(fresh_database: str, tmp_path: Path) -> None:
    url = make_url(fresh_database)
    terminator = TlsTerminator((url.host or "127.0.0.1", url.port or 5432), _self_signed(tmp_path))
    await terminator.start()
    # The spelling a platform hands out: postgres://, libpq's sslmode.
    through = url.set(drivername="postgres", host="127.0.0.1", port=terminator.port)
    base = through.render_as_string(hide_password=False)
    try:
        db = Database(f"{base}?sslmode=require")
        try:
            assert await pending_migrations(db) != []
            await migrate(db)
            assert await pending_migrations(db) == []
            assert await db.ping()
        finally:
            await db.dispose()
        assert terminator.tls > 0 and terminator.plain == 0
        # The same URL with sslmode=disable never asks for TLS: the parameter is obeyed.
        tls_before = terminator.tls
        db = Database(f"{base}?sslmode=disable")
        try:
            assert await db.ping()
        finally:
            await db.dispose()
        assert terminator.plain > 0 and terminator.tls == tls_before
    finally:
        await terminator.stop()

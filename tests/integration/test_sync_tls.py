"""TLS: the client verifies the server's certificate and can trust a county's own CA file."""

from __future__ import annotations

import datetime as dt
import ipaddress
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from gxcare_desktop.sync.client import ServerUnreachable, SyncClient, SyncError
from sync_server.core.config import Settings
from sync_server.main import create_app
from tests.server_fixtures import PASSWORD, create_users, free_port


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _county_ca(folder: Path) -> tuple[Path, Path, Path]:
    """A county CA and a server certificate for 127.0.0.1 signed by it."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("马山县民政局 CA"))
        .issuer_name(_name("马山县民政局 CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = folder / "county-ca.pem", folder / "server.pem", folder / "server.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return ca_file, cert_file, key_file


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    ca_file, cert_file, key_file = _county_ca(tmp_path)
    url = f"sqlite:///{tmp_path / 'server.db'}"
    create_users(url, __import__("tests.server_fixtures", fromlist=["DEFAULT_USERS"]).DEFAULT_USERS)
    port = free_port()
    config = uvicorn.Config(
        create_app(Settings(database_url=url)),
        host="127.0.0.1",
        port=port,
        ssl_certfile=str(cert_file),
        ssl_keyfile=str(key_file),
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "TLS server did not start"
        time.sleep(0.05)
    yield f"https://127.0.0.1:{port}", ca_file
    server.should_exit = True
    thread.join(timeout=10)


def test_county_ca_is_trusted_when_given_and_refused_otherwise(tls_server: tuple[str, Path]) -> None:
    url, ca_file = tls_server
    trusting = SyncClient(url, ca_file=str(ca_file), attempts=1)
    try:
        answer = trusting.enrol("director", PASSWORD, "pc")
        assert answer.division_code == "450124100201"
    finally:
        trusting.close()
    default = SyncClient(url, attempts=1)
    try:
        with pytest.raises(SyncError) as err:
            default.enrol("director", PASSWORD, "pc")
        assert not isinstance(err.value, ServerUnreachable)
        assert "证书" in err.value.message.zh and "certificate" in err.value.message.en
    finally:
        default.close()

"""Alembic environment: runs the server migrations on the URL given by core.db.init_db."""

from __future__ import annotations

import os

from alembic import context

from sync_server.core.config import DATABASE_URL_ENV, DEFAULT_DATABASE_URL
from sync_server.core.db import make_engine
from sync_server.models import ServerModel

config = context.config
target_metadata = ServerModel.metadata


def _url() -> str:
    url = config.attributes.get("database_url")
    if isinstance(url, str) and url:
        return url
    return os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    # A migration must not leave a pool of open connections behind.
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

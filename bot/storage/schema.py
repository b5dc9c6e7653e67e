"""Schema migrations with Alembic: `homeward db upgrade` and `homeward db current`.

Every schema change comes with a migration in ``bot/storage/migrations/versions``;
a test checks that the models and the migrations agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

SCRIPTS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """An Alembic configuration pointing at the package's migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    return config


def upgrade(engine: Engine, keys: Sequence[str] = ()) -> None:
    """Bring the schema to the newest revision, in one transaction.

    ``keys`` reach migrations that seal rows written in clear by older versions.

    On SQLite, foreign keys are off while migrations run: a batch migration
    rebuilds a table by copying it and dropping the old one, and with foreign
    keys on, that drop would cascade-delete the rows pointing at it (a
    contact's handoffs and outbox). They are checked once the migrations ran.
    """
    config = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:  # a PRAGMA that only works outside a transaction, so before SQLAlchemy's
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                config.attributes["secret_keys"] = tuple(keys)
                command.upgrade(config, "head")
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("a migration left rows that break foreign keys")
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision in the scripts."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def new_revision(message: str) -> None:
    """Write a migration for the models' changes (autogenerate on a scratch database)."""
    import tempfile

    from sqlalchemy import create_engine

    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/scratch.sqlite3")
        upgrade(engine)
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.revision(config, message=message, autogenerate=True)


if __name__ == "__main__":
    import sys

    new_revision(" ".join(sys.argv[1:]) or "schema change")

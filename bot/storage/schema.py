"""Schema migrations with Alembic: `homeward db upgrade` and `homeward db current`.

Every schema change comes with a migration in ``bot/storage/migrations/versions``;
a test checks that the models and the migrations agree.

Every process opens the database with a check that the schema is current. That
check reads the ``alembic_version`` row and the scripts' revision ids without
Alembic itself (importing it costs a command about 0.15 s); Alembic is imported
only to migrate, or when the scripts do not form one line of revisions.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPTS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"


def alembic_config() -> Config:
    """An Alembic configuration pointing at the package's migration scripts."""
    from alembic.config import Config

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
    from alembic import command

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
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
        return None if found is None else str(found)


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """The newest revision in the scripts: the one no other script revises."""
    revised: dict[str, str | None] = {}
    plain = True
    for path in sorted((SCRIPTS / "versions").glob("*.py")):
        names = _assigned_names(path)
        revision, down = names.get("revision"), names.get("down_revision")
        if isinstance(revision, str) and (down is None or isinstance(down, str)):
            revised[revision] = down
        else:
            plain = False
    heads = set(revised) - set(revised.values())
    if plain and len(heads) == 1:
        return heads.pop()
    # Branches, merges or none at all: Alembic's own answer (and its error).
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _assigned_names(path: Path) -> dict[str, object]:
    """The plain constants a script assigns at its top level (revision, down_revision)."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
    return found


def new_revision(message: str) -> None:
    """Write a migration for the models' changes (autogenerate on a scratch database)."""
    import tempfile

    from alembic import command
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

"""Database access: SQLAlchemy models, engines and sessions."""

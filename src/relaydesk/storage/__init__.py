"""Storage edge: SQLAlchemy tables, Alembic migrations and the SQL implementation of the store."""

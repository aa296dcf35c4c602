"""Search backends: `database` (SQLite FTS5 / PostgreSQL pg_trgm) and `engine` (Elasticsearch)."""

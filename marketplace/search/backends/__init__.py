"""Search backends: `database` (SQLite FTS5 / PostgreSQL tsvector) and `engine` (Elasticsearch)."""

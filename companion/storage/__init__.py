"""The encrypted vault and the database engine. Knows nothing of moods or pills; no Qt."""

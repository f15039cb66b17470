"""Database helpers shared by the features: column types, upserts, several counts in
one query and the guarded status step."""

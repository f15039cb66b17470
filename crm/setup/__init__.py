"""Setting up an installation from the browser: the first administrator, villages,
their officers and what each village still lacks."""

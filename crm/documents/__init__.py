"""Document builders: plain data in, PDF or iCalendar bytes out (no database, no request)."""

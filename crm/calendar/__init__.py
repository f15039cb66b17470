"""The event calendar: pages, subscription tokens and iCalendar feeds."""

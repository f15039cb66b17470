"""The home dashboard of each role, the navigation and the language switch."""

"""Apps built for pilot and snapshot tests: one screen mounted alone, with the app's stylesheet."""

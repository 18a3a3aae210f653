"""The two faces over ``diagnostics``: the headless commands and the Textual app."""

"""The safety plan page."""

"""The Learn pages: a list, search and a comfortable reader."""

"""Tests for the bundled content and its loaders."""

"""Companion: a private, offline desktop companion for people living with depression."""

__version__ = "0.1.0"
APP_NAME = "Companion"

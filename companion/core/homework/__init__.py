"""Homework plans a therapist hands over, and progress worked out from what was logged.

:mod:`.plan` is the plan file format (TOML, versioned, no personal data): the strict reader
and the writer. :mod:`.progress` holds the progress rules as pure functions: given a plan and
what the diary recorded, how much of each task was done, week by week. Documented for people
who write plans in ``docs/homework-plans.md``.
"""

"""The clinician summary and the exports, as plain data (no Qt, no files).

:mod:`.model` is the neutral summary every renderer reads (PDF, CSV, and the tests): a period,
when it was made, and sections of key facts, tables, charts and text. :mod:`.records` holds
the plain facts a feature hands over (check-ins, check-up answers, medicine courses…);
:mod:`.sections` turns them into summary sections; :mod:`.assemble` puts the chosen sections
together and leaves out the person's own words unless they opted in. The renderers live in
``companion.reports``.
"""

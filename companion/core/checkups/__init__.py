"""Check-ups: scoring validated questionnaires and comparing results, in pure Python.

Results are always worked out again from the raw answers (:mod:`.scoring`); nothing here trusts
a stored total. :mod:`.change` compares a result with an earlier one using each instrument's own
change rule, and :mod:`.flags` holds the words shown when an answer needs a safety response.
"""

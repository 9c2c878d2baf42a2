"""Check-ups: taking a questionnaire one question at a time, and reading its result.

The widgets here know nothing of the diary: they take a questionnaire, answers and earlier
scores, and report what the person does through signals, so the page that hosts them decides
what to save and where "Get help now" leads.
"""

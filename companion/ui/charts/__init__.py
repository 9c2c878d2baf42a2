"""The mood charts (pyqtgraph). Other features draw on them through ``charts.api.MoodChart``.

Every chart module imports pyqtgraph, and every import of one goes through this package first:
its Qt mirrors are filled as they are used (``pg_import.py``).
"""

from companion.ui.charts import pg_import

pg_import.install()

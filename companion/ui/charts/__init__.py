"""The mood charts (pyqtgraph). Other features draw on them through ``charts.api.MoodChart``."""

"""The mood diary's pages: check-in, history, charts, insights, tags and trackers, imports."""

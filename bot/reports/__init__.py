"""The partner report: needs, gaps, connections and response times, from monthly counts only.

``homeward report`` and the console's /console/reports build it from
``usage_counts`` (``bot.storage.usage``) and the loaded directory; small
counts are suppressed (``suppression``). See docs/report.md.
"""

"""Safety: crisis detection (and, later, rate limits)."""

"""The ASGI app behind `homeward serve`: webhooks, health check (and the console later)."""

"""The curated services directory: its model, files, validation and statistics."""

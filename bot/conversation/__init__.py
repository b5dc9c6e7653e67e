"""The conversation core: one transport-free flow shared by every channel."""

"""Common Ground (Tiếng nói chung): facts once, judgements many."""

__version__ = "0.1.0"

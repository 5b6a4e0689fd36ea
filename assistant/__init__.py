"""The assistant: sign-in, dialogue, the HTTP/WebSocket API, the pages and the `secretary` CLI."""

from .config import Settings, get_settings
from .storage import Storage

__all__ = ["Settings", "Storage", "get_settings"]

"""The assistant: dialogue, HTTP/WebSocket API, the `secretary` CLI.

Kept light on import: actions in a rasa-sdk action server import settings and storage from here.
"""

from .config import Settings, get_settings
from .storage import Storage, get_storage

__all__ = ["Settings", "Storage", "get_settings", "get_storage"]

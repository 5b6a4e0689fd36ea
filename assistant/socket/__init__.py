"""WS /v1/ws: the socket transport, its frames, and streaming voice turns."""

from .transport import endpoint

__all__ = ["endpoint"]

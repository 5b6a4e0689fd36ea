"""Video calls: aiortc peers in call rooms (relay, mix, record, caption), call settings and minutes.

Imports only downward (voice for captions); the assistant hands in settings, the transcriber and an
`emit` callback, and owns signaling, persistence and the event bus.
"""

from .asr_worker import CaptionASR
from .minutes import Minutes, build, summarize
from .room import Room, SdpError, check_offer, ice_configuration, prune_recordings
from .settings import CallSettings

__all__ = [
    "CallSettings",
    "CaptionASR",
    "Minutes",
    "Room",
    "SdpError",
    "build",
    "check_offer",
    "ice_configuration",
    "prune_recordings",
    "summarize",
]

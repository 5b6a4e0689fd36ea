"""Call settings: ICE servers, ringing, room size, the video budget and how long recordings are kept."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from pathlib import Path

from nlu.settings import DataSettings


class CallSettings(DataSettings):
    # ICE: STUN/TURN URLs (e.g. ["stun:stun.example.org:3478"], ["turn:turn.example.org:3478?transport=udp"]).
    stun_urls: list[str] = []
    turn_urls: list[str] = []
    turn_username: str | None = None  # static TURN credentials (coturn --user=U:P) ...
    turn_password: str | None = None
    turn_secret: str | None = None  # ... or coturn's --use-auth-secret: short-lived credentials per user (wins when set)
    turn_ttl_s: int = 12 * 3600
    ice_relay_only: bool = False  # every peer (browsers and the server) only uses TURN relays

    call_ring_timeout_s: float = 30.0  # unanswered: call.missed
    call_max_participants: int = 6  # caller included
    # Every relayed video is decoded and re-encoded per receiver by aiortc, so the budget is set here:
    # 640x360 at 15 fps keeps a face and a document legible on a phone and the wall while one VP8 encode
    # costs ~1/4 of what 1280x720@30 does (bench/calls.py measures it).
    call_video_width: int = 640
    call_video_height: int = 360
    call_video_fps: int = 15
    # Forward each participant's VP8 frames as they are (no decode, no re-encode: ~10x the calls per core) or
    # transcode (decode, cap to the size/rate above, re-encode per receiver: the server controls the budget).
    call_video_forward: bool = True
    call_captions: bool = True
    call_recording: bool = True
    call_recording_dir: Path | None = None  # default: data_dir/recordings
    call_recording_retention_days: float = 30

    @property
    def recordings_dir(self) -> Path:
        return self.call_recording_dir or self.data_dir / "recordings"

    def turn_credentials(self, who: str) -> tuple[str | None, str | None]:
        """(username, credential) for TURN: with coturn's --use-auth-secret a pair that expires after turn_ttl_s
        (the TURN REST API scheme: username "expiry:who", credential base64(HMAC-SHA1(secret, username))); else the static pair."""
        if self.turn_secret:
            username = f"{int(time.time()) + self.turn_ttl_s}:{who}"
            digest = hmac.new(self.turn_secret.encode(), username.encode(), hashlib.sha1).digest()
            return username, base64.b64encode(digest).decode()
        return self.turn_username, self.turn_password

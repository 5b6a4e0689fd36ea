"""Coqui TTS in its own process and environment (`make tts` builds .tts-venv).

coqui-tts needs torchaudio, whose registry builds link CUDA libraries that the product's CPU torch
lacks, so Coqui runs under the interpreter of an environment that has it. This file is started by
path and imports nothing of the product.

Protocol: argv = MODEL [SPEAKER]. The worker answers one JSON line when the model is loaded
({"sample_rate": R} or {"error": ...}); then for each JSON line {"text": ...} on stdin it answers a
JSON line {"samples": N} followed by N little-endian float32 samples, or {"error": ...}.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def load(model: str):  # type: ignore[no-untyped-def]
    from TTS.api import TTS

    path = Path(model)
    if path.is_file():  # a checkpoint with its config.json beside it
        return TTS(model_path=str(path), config_path=str(path.parent / "config.json"))
    if path.is_dir():
        return TTS(model_path=str(path), config_path=str(path / "config.json"))
    return TTS(model)  # a catalogue name: Coqui downloads it on first use


def main() -> None:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever the library or its C code prints goes to stderr; only the protocol reaches the pipe

    def answer(header: dict, payload: bytes = b"") -> None:
        out.write(json.dumps(header).encode() + b"\n" + payload)
        out.flush()

    model, speaker = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    try:
        tts = load(model)
    except Exception as exc:  # reported to the product, which names the model and the reason
        answer({"error": f"{type(exc).__name__}: {exc}"})
        return
    options: dict[str, str] = {}
    if tts.is_multi_lingual:
        options["language"] = "ko"
    if tts.is_multi_speaker:
        options["speaker"] = speaker or tts.speakers[0]
    answer({"sample_rate": int(tts.synthesizer.output_sample_rate)})

    import numpy as np

    for line in sys.stdin:
        try:
            text = json.loads(line)["text"]
            samples = np.asarray(tts.tts(text, **options), dtype="<f4")
        except Exception as exc:
            answer({"error": f"{type(exc).__name__}: {exc}"})
            continue
        answer({"samples": int(samples.size)}, samples.tobytes())


if __name__ == "__main__":
    main()

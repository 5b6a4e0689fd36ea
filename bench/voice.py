"""Voice benchmark: ASR real-time factor (openai-whisper vs faster-whisper), TTS real-time factor
(espeak-ng vs Coqui VITS), and time to the first reply audio with sentence streaming vs whole replies.

No weights can be downloaded here, so the models are randomly initialised at the real sizes (Whisper
"tiny" dimensions, Coqui's default VITS dimensions) and run through the product's own loading and
inference code. Random weights would stop decoding at random, so each ASR run decodes a fixed number
of tokens (end of text suppressed): the compute is comparable, the words are not. The audio is real
Korean speech from espeak-ng. Baselines, in the same run: openai-whisper for ASR, espeak-ng for TTS,
whole-reply synthesis for time to first audio.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import random_models  # noqa: E402

from bench.stats import pct  # noqa: E402
from voice import SAMPLE_RATE, asr, decode, to_wav, tts  # noqa: E402
from voice.pipeline import speak  # noqa: E402

TOKENS, RUNS = 48, 5
REPLY = (
    "강서구 재난 상황입니다. 오늘 화재 3건, 구급 출동 22건이 있었습니다. "
    "현재 호우주의보가 발효 중이며 하천 수위는 안전 단계입니다. 자세한 내용은 화면에 띄워 드렸습니다."
)


def timed(fn, runs: int = RUNS) -> list[float]:  # type: ignore[no-untyped-def]
    ms = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t0) * 1000)
    return ms


def line(name: str, ms: list[float], extra: str = "") -> None:
    print(f"  {name:<46} p50 {statistics.median(ms):8.1f} ms   p95 {pct(ms, 0.95):8.1f} ms{extra}")


def bench_asr(folder: Path, audio: np.ndarray) -> None:
    seconds = len(audio) / SAMPLE_RATE
    print(f"\nASR: Whisper 'tiny' dimensions, random weights, {seconds:.1f} s of Korean speech, exactly {TOKENS} tokens decoded per run")
    t0 = time.perf_counter()
    models = {
        "openai-whisper": str(random_models.whisper_checkpoint(folder / "whisper-tiny.pt", "tiny")),
        "faster-whisper": str(random_models.faster_whisper_model(folder / "ct2-tiny", "tiny")),
    }
    print(f"  (built both models in {time.perf_counter() - t0:.0f} s)")
    prompt, base = asr.domain_prompt(), 0.0
    for backend, model in models.items():
        t0 = time.perf_counter()
        recognizer = asr.load(backend, model)
        load_ms = (time.perf_counter() - t0) * 1000
        recognizer.transcribe(audio, prompt, fixed_tokens=TOKENS)  # warm-up
        ms = timed(lambda r=recognizer: r.transcribe(audio, prompt, fixed_tokens=TOKENS))
        rtf = statistics.median(ms) / 1000 / seconds
        label = f"x{base / rtf:.1f} the speed of openai-whisper" if base else "baseline"
        base = base or rtf
        line(f"{backend} ({'fp32' if backend == 'openai-whisper' else 'int8'})", ms, f"   RTF {rtf:.3f} ({label}); load {load_ms:.0f} ms")


def engines(folder: Path) -> dict[str, tts.TTS]:
    out: dict[str, tts.TTS] = {"espeak-ng": tts.EspeakNG()}
    try:
        out["coqui VITS (full size)"] = tts.load(str(random_models.vits_model(folder / "vits", "full")))
    except Exception as exc:  # no .tts-venv: the figures say so rather than stop
        print(f"  Coqui skipped: {exc} (run `make tts`)")
    return out


def bench_tts(voices: dict[str, tts.TTS]) -> None:
    sentences = tts.sentences(REPLY)
    print(f"\nTTS: {len(sentences)} reply sentences, each synthesized {RUNS} times; RTF = synthesis time / audio length")
    print("  (random VITS weights predict random durations: its audio length, hence its RTF, is indicative only)")
    base = 0.0
    for name, engine in voices.items():
        engine.synthesize(sentences[0])  # warm-up
        ms, audio_s = [], 0.0
        for _ in range(RUNS):
            for s in sentences:
                t0 = time.perf_counter()
                samples, rate = engine.synthesize(s)
                ms.append((time.perf_counter() - t0) * 1000)
                audio_s += len(samples) / rate
        rtf = sum(ms) / 1000 / audio_s
        base = base or rtf
        line(f"{name} per sentence", ms, f"   RTF {rtf:.3f} (x{rtf / base:.1f} espeak-ng's)")


def bench_first_audio(voices: dict[str, tts.TTS]) -> None:
    print(f"\nTime to first reply audio, {len(tts.sentences(REPLY))}-sentence reply: sentence streaming vs whole-reply synthesis")
    for name, engine in voices.items():
        whole = timed(lambda e=engine: e.synthesize(REPLY))
        first = [asyncio.run(speak(REPLY, engine))[2] for _ in range(RUNS)]
        line(f"{name} whole reply (baseline)", whole)
        line(f"{name} first sentence", first, f"   x{statistics.median(whole) / statistics.median(first):.1f} sooner")


def main() -> None:
    samples, rate = tts.EspeakNG().synthesize(REPLY)
    audio = decode(to_wav(samples, rate))
    with tempfile.TemporaryDirectory() as tmp:
        bench_asr(Path(tmp), audio)
        voices = engines(Path(tmp))
        bench_tts(voices)
        bench_first_audio(voices)


if __name__ == "__main__":
    main()

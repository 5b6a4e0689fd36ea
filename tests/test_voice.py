"""Voice: real Korean speech (espeak-ng) through decoding, VAD, a real Whisper architecture and TTS.

No weights can be downloaded here, so the Whisper model is a tiny randomly initialised one built at
test time and loaded through the same whisper.load_model path: its transcripts are gibberish, but
real output of the real code path; nothing is faked.
"""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import wave
from pathlib import Path

import av
import numpy as np
import pytest
import random_models
from conftest import reset_caches
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from voice import normalize
from voice.audio import SAMPLE_RATE, AudioError, decode, to_opus, to_wav
from voice.tts import EspeakNG, sentences

BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def tiny_whisper(tmp_path_factory) -> Path:
    return random_models.whisper_checkpoint(tmp_path_factory.mktemp("whisper") / "tiny-random.pt")


@pytest.fixture(scope="session")
def tiny_ct2_whisper(tmp_path_factory) -> Path:
    return random_models.faster_whisper_model(tmp_path_factory.mktemp("ct2") / "whisper")


@pytest.fixture(scope="session")
def tiny_vits(tmp_path_factory) -> Path:
    return random_models.vits_model(tmp_path_factory.mktemp("vits"))


@pytest.fixture(scope="session")
def speech() -> bytes:
    samples, rate = EspeakNG().synthesize("강남구 미세먼지 어때?")
    silence = np.zeros(rate // 2, dtype=np.float32)
    return to_wav(np.concatenate([silence, samples, silence]), rate)


def encode(wav: bytes, fmt: str, codec: str) -> bytes:
    """Re-encode WAV into another container/codec with PyAV (ffmpeg), as browsers and phones send it."""
    src = av.open(io.BytesIO(wav))
    buf = io.BytesIO()
    with av.open(buf, mode="w", format=fmt) as out:
        stream = out.add_stream(codec, rate=48_000 if codec == "libopus" else 44_100, layout="mono")
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=stream.codec_context.sample_rate)
        for frame in src.decode(audio=0):
            for f in resampler.resample(frame):
                for p in stream.encode(f):
                    out.mux(p)
        for f in resampler.resample(None):
            for p in stream.encode(f):
                out.mux(p)
        for p in stream.encode(None):
            out.mux(p)
    return buf.getvalue()


@pytest.mark.parametrize("fmt,codec", [("ogg", "libopus"), ("webm", "libopus"), ("mp3", "libmp3lame"), ("ipod", "aac")])
def test_every_common_format_decodes_to_16k_mono(speech, fmt, codec):
    expected = len(decode(speech)) / SAMPLE_RATE
    try:
        data = encode(speech, fmt, codec)
    except (av.FFmpegError, ValueError) as exc:
        pytest.skip(f"this ffmpeg build cannot encode {codec}: {exc}")
    audio = decode(data)
    assert audio.dtype == np.float32 and abs(len(audio) / SAMPLE_RATE - expected) < 0.15 and np.abs(audio).max() > 0.05


def test_other_sample_rates_are_resampled():
    tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(8000) / 8000).astype(np.float32)  # one second at 8 kHz
    assert abs(len(decode(to_wav(tone, 8000))) - SAMPLE_RATE) < 200


@pytest.mark.parametrize(
    "data,status,code",
    [
        (b"", 422, "audio_empty"),
        (b"this is not audio at all" * 10, 415, "audio_unreadable"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", 415, "audio_unreadable"),  # a WAV header cut short
    ],
)
def test_bad_audio_is_refused_with_a_reason(data, status, code):
    with pytest.raises(AudioError) as err:
        decode(data)
    assert (err.value.status, err.value.code) == (status, code) and err.value.message


def test_limits_are_checked_before_decoding_everything():
    with pytest.raises(AudioError) as err:
        decode(b"\0" * (10 * 1024 * 1024 + 1))
    assert err.value.code == "audio_too_large"
    with pytest.raises(AudioError) as err:
        decode(to_wav(np.zeros(SAMPLE_RATE * 31, dtype=np.float32), SAMPLE_RATE))
    assert err.value.code == "audio_too_long"


def test_korean_reading():
    assert normalize("강서구 오늘 화재 3건, 구급 22건입니다.") == "강서구 오늘 화재 세 건, 구급 이십이 건입니다."
    assert normalize("PM10 86㎍/㎥, 5.3℃, 습도 45%") == "피엠 텐 팔십육 마이크로그램 퍼 세제곱미터, 오 점 삼 도, 습도 사십오 퍼센트"
    assert normalize("11월 21일 14:00 기준") == "십일월 이십일 일 오후 두 시 기준"
    assert normalize("예산 48조 7,100억 원, 인구 9,331,828명") == "예산 사십팔조 칠천백억 원, 인구 구백삼십삼만 천팔백이십팔 명"
    assert sentences("첫 문장입니다. 둘째 문장은 3.5% 올랐습니다. 끝!") == ["첫 문장입니다.", "둘째 문장은 3.5% 올랐습니다.", "끝!"]


def test_espeak_speaks_korean_and_opus_round_trips():
    samples, rate = EspeakNG().synthesize("오후 두 시 기준입니다.")
    assert rate == 22050 and len(samples) / rate > 0.8 and np.abs(samples).max() > 0.1
    assert abs(len(decode(to_opus(samples, rate))) / SAMPLE_RATE - len(samples) / rate) < 0.1


@pytest.fixture
def voice_client(fresh_db, tiny_whisper, monkeypatch):
    monkeypatch.setenv("SECRETARY_ASR_MODEL", str(tiny_whisper))
    reset_caches()
    from assistant.app import create_app

    with TestClient(create_app()) as c:
        yield c


def test_a_spoken_turn(voice_client, speech):
    assert voice_client.get("/health").json()["voice"]["asr_installed"] is True
    asr_turns = REGISTRY.get_sample_value("secretary_stage_seconds_count", {"stage": "asr"}) or 0
    r = voice_client.post("/v1/voice", files={"audio": ("cmd.wav", speech, "audio/wav")}, data={"channel": "tablet", "session_id": "v1"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["transcript"].strip()  # what the random model produced from real speech; not checked for meaning
    assert body["reply"]["session_id"] == "v1" and body["reply"]["text"] and body["reply"]["channel"] == "tablet"
    assert {"decode", "vad", "asr", "dialogue", "nlu", "action", "tts_first_audio", "tts_total", "encode", "total"} <= set(
        body["timings_ms"]
    )
    with wave.open(io.BytesIO(base64.b64decode(body["audio"]["base64"]))) as w:
        assert w.getframerate() == body["audio"]["sample_rate"] == 22050 and w.getnframes() > 2205
    r = voice_client.post(
        "/v1/voice", files={"audio": ("cmd.ogg", encode(speech, "ogg", "libopus"), "audio/ogg")}, data={"audio_format": "opus"}
    )
    assert r.status_code == 200 and r.json()["audio"]["format"] == "opus"
    assert REGISTRY.get_sample_value("secretary_stage_seconds_count", {"stage": "asr"}) == asr_turns + 2  # /metrics: admins
    assert len(decode(base64.b64decode(r.json()["audio"]["base64"]))) > SAMPLE_RATE // 10


def test_voice_bad_input_never_breaks_the_server(voice_client, speech):
    cases = [
        ({"audio": ("a.wav", b"", "audio/wav")}, {}, 422, "audio_empty"),
        ({"audio": ("a.wav", b"garbage" * 50, "audio/wav")}, {}, 415, "audio_unreadable"),
        ({"audio": ("a.txt", b"hello", "text/plain")}, {}, 415, "audio_content_type"),
        ({"audio": ("a.wav", to_wav(np.zeros(SAMPLE_RATE * 2, np.float32), SAMPLE_RATE), "audio/wav")}, {}, 422, "no_speech"),
        ({"audio": ("a.wav", to_wav(np.zeros(SAMPLE_RATE * 40, np.float32), SAMPLE_RATE), "audio/wav")}, {}, 413, "audio_too_long"),
        ({"audio": ("a.wav", speech, "audio/wav")}, {"channel": "fax"}, 422, "invalid_channel"),
        ({"audio": ("a.wav", speech, "audio/wav")}, {"session_id": "../x"}, 422, "invalid_session_id"),
        ({"audio": ("a.wav", speech, "audio/wav")}, {"audio_format": "flac"}, 422, "invalid_field"),
        ({}, {}, 422, "missing_field"),
    ]
    for files, data, status, code in cases:
        r = voice_client.post("/v1/voice", files=files or None, data=data)
        assert (r.status_code, r.json()["error"]["code"]) == (status, code), (code, r.text)
        assert r.json()["error"]["message"]
    big = voice_client.post("/v1/voice", content=b"x" * (11 * 1024 * 1024), headers={"content-type": "multipart/form-data; boundary=x"})
    assert big.status_code == 413
    assert voice_client.post("/v1/chat", json={"text": "강남구 미세먼지", "channel": "wall"}).status_code == 200  # still serving


def test_without_a_model_voice_says_how_to_install_one(client, speech):
    r = client.post("/v1/voice", files={"audio": ("a.wav", speech, "audio/wav")})
    assert r.status_code == 503
    err = r.json()["error"]
    assert (
        err["code"] == "asr_unavailable"
        and "secretary models download" in err["message"]
        and "Text chat keeps working" in err["message_en"]
    )
    assert client.post("/v1/chat", json={"text": "강남구 미세먼지", "channel": "wall"}).status_code == 200


def test_cli_say_and_transcribe(tmp_path, tiny_whisper):
    out = tmp_path / "reply.wav"
    subprocess.run([str(BIN / "secretary"), "say", "화재 3건입니다.", "-o", str(out)], check=True, capture_output=True, env=os.environ)
    assert len(decode(out.read_bytes())) > SAMPLE_RATE // 2
    heard = subprocess.run(
        [str(BIN / "secretary"), "transcribe", str(out), "--model", str(tiny_whisper)], capture_output=True, text=True, env=os.environ
    )
    assert heard.returncode == 0 and heard.stdout.strip()
    missing = subprocess.run([str(BIN / "secretary"), "transcribe", str(out)], capture_output=True, text=True, env=os.environ)
    assert missing.returncode == 2 and "설치되어 있지 않습니다" in missing.stderr


def test_faster_whisper_runs_a_ctranslate2_model_offline(tiny_ct2_whisper, speech, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # without its tokenizer.json the folder would send faster-whisper to the Hub
    from voice import asr
    from voice.vad import trim

    recognizer = asr.load("faster-whisper", str(tiny_ct2_whisper))
    assert recognizer.name == f"faster-whisper:{tiny_ct2_whisper}"
    assert recognizer.transcribe(trim(decode(speech)), asr.domain_prompt(), fixed_tokens=20)  # random weights: words, not meaning


def test_coqui_vits_speaks_korean_from_its_own_environment(tiny_vits, tmp_path):
    from voice import tts

    engine = tts.load(str(tiny_vits))
    samples, rate = engine.synthesize("강남구 미세먼지 86㎍/㎥입니다.")
    assert engine.name == "coqui:model.pth" and rate == 16_000 and samples.size > rate // 10 and np.isfinite(samples).all()
    engine.proc.kill()  # a worker that died is started again on the next sentence
    engine.proc.wait()
    assert engine.synthesize("다음 문장입니다.")[0].size > 0
    out = tmp_path / "coqui.wav"
    subprocess.run(
        [str(BIN / "secretary"), "say", "화재 3건입니다.", "-o", str(out), "--model", str(tiny_vits)], check=True, capture_output=True
    )
    with wave.open(str(out)) as w:
        assert w.getframerate() == 16_000 and w.getnframes() > 1600


def test_a_coqui_model_that_cannot_load_is_named_with_its_reason(tiny_vits, tmp_path):
    from voice import tts

    with pytest.raises(tts.TTSUnavailable) as err:
        tts.load(str(tmp_path / "missing.pth"))
    assert "no such file" in err.value.message
    broken = tmp_path / "model.pth"
    broken.write_bytes(b"not a checkpoint")
    (tmp_path / "config.json").write_bytes((tiny_vits.parent / "config.json").read_bytes())
    with pytest.raises(tts.TTSUnavailable) as err:
        tts.CoquiTTS(str(broken))
    assert "음성 합성 모델" in err.value.message and "Error" in err.value.message_en
    assert isinstance(tts.load_or_espeak(str(broken)), tts.EspeakNG)  # the server keeps speaking


def test_a_spoken_turn_with_faster_whisper_and_coqui(fresh_db, tiny_ct2_whisper, tiny_vits, speech, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("SECRETARY_ASR_BACKEND", "faster-whisper")
    monkeypatch.setenv("SECRETARY_ASR_MODEL", str(tiny_ct2_whisper))
    monkeypatch.setenv("SECRETARY_TTS_MODEL", str(tiny_vits))
    reset_caches()
    from assistant.app import create_app

    with TestClient(create_app()) as c:
        r = c.post("/v1/voice", files={"audio": ("cmd.wav", speech, "audio/wav")}, data={"channel": "wall"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["transcript"] and body["reply"]["text"]
    with wave.open(io.BytesIO(base64.b64decode(body["audio"]["base64"]))) as w:
        assert w.getframerate() == body["audio"]["sample_rate"] == 16_000 and w.getnframes() > 1600  # the VITS's rate, not espeak-ng's


def pcm_frames(wav: bytes, seconds_of_silence: float) -> list[bytes]:
    audio = np.concatenate([decode(wav), np.zeros(int(SAMPLE_RATE * seconds_of_silence), np.float32)])
    pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
    return [pcm[i : i + 16000] for i in range(0, len(pcm), 16000)]  # half a second a frame


def test_streaming_voice_turn_over_the_websocket(voice_client, speech):
    with voice_client.websocket_connect("/v1/ws?channel=tablet&session_id=stream") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_json({"type": "audio.start", "format": "pcm16"})
        for frame in pcm_frames(speech, 1.5):
            ws.send_bytes(frame)
        events = []
        while not events or events[-1]["type"] not in ("tts.end", "error"):
            events.append(ws.receive_json())
        kinds = [e["type"] for e in events]
        assert kinds[0] == "vad" and kinds.index("transcript.final") < kinds.index("reply") < kinds.index("tts.sentence")
        assert kinds[-1] == "tts.end" and events[kinds.index("reply")]["session_id"] == "stream"
        spoken = [e for e in events if e["type"] == "tts.sentence"]
        assert [e["index"] for e in spoken] == list(range(len(spoken)))
        assert all(len(decode(base64.b64decode(e["base64"]))) > 0 for e in spoken)
        # push-to-talk end, and an Opus recording streamed in chunks
        ws.send_json({"type": "audio.start", "format": "opus"})
        ogg = encode(speech, "ogg", "libopus")
        for i in range(0, len(ogg), 4000):
            ws.send_bytes(ogg[i : i + 4000])
        ws.send_json({"type": "audio.end"})
        kinds = []
        while not kinds or kinds[-1] not in ("tts.end", "error"):
            kinds.append(ws.receive_json()["type"])
        assert "transcript.final" in kinds and kinds[-1] == "tts.end"


def test_streaming_bad_frames(voice_client, speech):
    with voice_client.websocket_connect("/v1/ws?channel=tablet") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_bytes(b"\x00\x00")
        assert ws.receive_json()["error"]["code"] == "out_of_order"
        ws.send_json({"type": "audio.end"})
        assert ws.receive_json()["error"]["code"] == "out_of_order"
        ws.send_json({"type": "audio.start", "format": "flac"})
        assert ws.receive_json()["error"]["code"] == "audio_format"
        ws.send_json({"type": "audio.start", "format": "pcm16"})
        ws.send_bytes(b"\x00\x00\x00")  # half a sample
        assert ws.receive_json()["error"]["code"] == "audio_bad_pcm"
        ws.send_json({"type": "audio.start", "format": "pcm16"})
        for frame in pcm_frames(to_wav(np.zeros(SAMPLE_RATE, np.float32), SAMPLE_RATE), 0):
            ws.send_bytes(frame)
        ws.send_json({"type": "audio.end"})
        assert ws.receive_json()["error"]["code"] == "no_speech"
        ws.send_json({"type": "audio.start", "format": "pcm16"})
        silence = np.zeros(SAMPLE_RATE, "<i2").tobytes()  # a second a frame: under the 50 frames/s limit
        for _ in range(31):
            ws.send_bytes(silence)
        assert ws.receive_json()["error"]["code"] == "audio_too_long"
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}  # the connection survived all of it
        ws.send_bytes(b"\x00" * (64 * 1024 + 2))
        with pytest.raises(Exception) as closed:
            ws.receive_json()
        assert getattr(closed.value, "code", None) == 1009


def test_barge_in_stops_the_sentences_not_yet_heard(fresh_db):
    import asyncio
    from types import SimpleNamespace

    from assistant import get_settings
    from assistant.socket.voice_stream import VoiceStream

    class Recorder:  # stands in for the socket; synthesis and pacing are the real ones
        def __init__(self):
            self.sent = []
            self.sec = SimpleNamespace(settings=get_settings())  # no Coqui model: espeak-ng

        async def send(self, message):
            self.sent.append(message)

    async def scenario():
        sock = Recorder()
        stream = VoiceStream(sock)
        text = " ".join(
            f"{n} 문장은 조금 길게 읽히도록 여러 단어로 이루어져 있습니다." for n in ("첫째", "둘째", "셋째", "넷째", "다섯째", "여섯째")
        )
        stream.speak(text)
        while len([m for m in sock.sent if m["type"] == "tts.sentence"]) < 2:
            await asyncio.sleep(0.01)
        await stream.barge_in()  # the user starts speaking while sentence 1 plays
        await asyncio.sleep(0.2)
        return [m["type"] for m in sock.sent]

    kinds = asyncio.run(scenario())
    assert kinds.count("tts.sentence") == 2 and kinds[-1] == "tts.cancelled" and "tts.end" not in kinds

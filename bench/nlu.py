"""NLU and turn benchmark: parse latency in-process and over HTTP, chat turns per second.

Prints median and p95; ratios compare each figure with a baseline measured in the same run
(in-process parse for HTTP parse; GET /health for the HTTP floor). Bounded: a few hundred requests.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.stats import pct  # noqa: E402
from nlu import load, load_or_train, split  # noqa: E402

N_INPROC, N_HTTP, N_TURNS, CONCURRENCY = 600, 300, 200, 8


def row(name: str, ms: list[float], base: float | None = None) -> None:
    med = statistics.median(ms)
    ratio = f"  x{med / base:.1f} vs baseline" if base else ""
    print(f"{name:<38} p50 {med:8.3f} ms   p95 {pct(ms, 0.95):8.3f} ms{ratio}")


def main() -> None:
    os.environ.setdefault("SECRETARY_DATA_DIR", tempfile.mkdtemp(prefix="secretary-bench-"))
    from assistant import get_settings

    texts = [e.text for e in split(load().examples)[1]]
    engine = load_or_train(get_settings().model_dir)
    for t in texts[:20]:
        engine.parse(t)
    ms = []
    for i in range(N_INPROC):
        t0 = time.perf_counter()
        engine.parse(texts[i % len(texts)])
        ms.append((time.perf_counter() - t0) * 1000)
    print(f"embedded NLU, {len(texts)} held-out texts, {N_INPROC} parses, 1 process")
    row("parse in-process (baseline)", ms)
    base = statistics.median(ms)
    # What the conversation features cost inside a parse: the discourse pass (corrections, scope, time) and the
    # jamo near-miss search, measured on the same texts; and an English parse (language ID + multilingual encoder).
    from nlu import discourse

    for name, fn in (
        ("  of which: discourse pass", lambda t: discourse.annotate(t, [])),
        ("  of which: jamo near-miss search", lambda t: engine.extractor._near_misses(t, [])),
    ):
        part = []
        for i in range(N_INPROC):
            t0 = time.perf_counter()
            fn(texts[i % len(texts)])
            part.append((time.perf_counter() - t0) * 1000)
        row(name, part, base)
    english = [
        "Is subway line 2 running normally?",
        "How is the air in Gangnam today?",
        "Is Hongdae crowded right now?",
        "Where is the nearest toilet?",
    ]
    engine.parse(english[0])  # loads the encoder
    en = []
    for i in range(100):
        t0 = time.perf_counter()
        engine.parse(english[i % len(english)])
        en.append((time.perf_counter() - t0) * 1000)
    row("English parse (langdetect + USE + LR)", en, base)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, SECRETARY_DATABASE_URL=f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db")
    env["SECRETARY_RATE_LIMITS"] = "false"  # one address at full speed: the limits would answer 429
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "secretary"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        with httpx.Client(base_url=url) as c:
            health, http_parse = [], []
            for i in range(N_HTTP):
                t0 = time.perf_counter()
                c.get("/health")
                health.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                c.post("/model/parse", json={"text": texts[i % len(texts)]})
                http_parse.append((time.perf_counter() - t0) * 1000)
        print(f"\nHTTP on loopback (uvicorn, 1 worker), {N_HTTP} requests each")
        row("GET /health (HTTP floor)", health)
        row("POST /model/parse", http_parse, base)
        print(f"{'  of which HTTP + JSON':<38} p50 {statistics.median(http_parse) - statistics.median(health):8.3f} ms over the floor")

        async def turns(concurrency: int) -> tuple[float, list[float]]:
            lat: list[float] = []
            sem = asyncio.Semaphore(concurrency)
            async with httpx.AsyncClient(base_url=url, timeout=30) as c:

                async def one(i: int) -> None:
                    async with sem:
                        t0 = time.perf_counter()
                        r = await c.post("/v1/chat", json={"text": texts[i % len(texts)], "channel": "tablet", "session_id": f"b{i % 50}"})
                        r.raise_for_status()
                        lat.append((time.perf_counter() - t0) * 1000)

                t0 = time.perf_counter()
                await asyncio.gather(*(one(i) for i in range(N_TURNS)))
                return N_TURNS / (time.perf_counter() - t0), lat

        print(f"\nPOST /v1/chat full turns (NLU + action + SQLite session + audit), {N_TURNS} turns")
        for conc in (1, CONCURRENCY):
            tps, lat = asyncio.run(turns(conc))
            row(f"chat turn, concurrency {conc}", lat, base)
            print(f"{'  throughput':<38} {tps:8.1f} turns/s")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()

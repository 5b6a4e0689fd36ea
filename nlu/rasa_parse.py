"""Parse texts with a trained Rasa model in-process, timing each parse (run with .rasa-venv's python).

stdin: one JSON object {"model": path, "texts": [...]}; stdout: one JSON object per text
{"result": <Rasa parse>, "ms": float}. Used by `secretary nlu compare`.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time


async def main() -> None:
    from rasa.core.agent import Agent

    job = json.load(sys.stdin)
    agent = Agent.load(job["model"])
    await agent.parse_message("워밍업")
    for text in job["texts"]:
        t0 = time.perf_counter()
        result = await agent.parse_message(text)
        ms = (time.perf_counter() - t0) * 1000
        print(json.dumps({"result": result, "ms": ms}, ensure_ascii=False, default=str), flush=True)


if __name__ == "__main__":
    asyncio.run(main())

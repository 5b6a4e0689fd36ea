"""Drive real Rasa 3.6.21 in its own venv (.rasa-venv, `make rasa`): train, and parse for evaluation."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from .training_data import DATA_DIR, PROJECT_DIR, Example, write_nlu_yaml

REPO = PROJECT_DIR.parent


def venv() -> Path:
    return Path(os.environ.get("SECRETARY_RASA_VENV", REPO / ".rasa-venv"))


def env() -> dict[str, str]:
    """The Rasa venv finds nlu.rasa_kiwi through the repository on PYTHONPATH."""
    return dict(os.environ, PYTHONPATH=str(REPO), TF_CPP_MIN_LOG_LEVEL="2", ORT_DISABLE_TELEMETRY="1", RASA_TELEMETRY_ENABLED="false")


def require() -> Path:
    rasa = venv() / "bin" / "rasa"
    if not rasa.exists():
        raise FileNotFoundError(f"Rasa is not installed at {venv()}: run `make rasa` first (Rasa를 먼저 설치하세요: make rasa)")
    return rasa


def train(out_dir: Path, data_dir: Path = DATA_DIR, nlu_only: bool = False, name: str = "secretary") -> Path:
    """`rasa train` (or `rasa train nlu`) on the project; returns the model archive."""
    rasa = require()
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        str(rasa),
        "train",
        *(["nlu", "--nlu", str(data_dir)] if nlu_only else ["--data", str(data_dir), "--domain", str(PROJECT_DIR / "domain.yml")]),
        "--config",
        str(PROJECT_DIR / "config.yml"),
        "--out",
        str(out_dir),
        "--fixed-model-name",
        name,
    ]
    subprocess.run(cmd, check=True, env=env(), cwd=REPO)
    return out_dir / f"{name}.tar.gz"


def train_split(examples: list[Example], out_dir: Path) -> Path:
    """An NLU model from these examples plus the project's lookups, synonyms and regexes."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        write_nlu_yaml(data / "nlu.yml", examples)
        shutil.copy(DATA_DIR / "lookups.yml", data / "lookups.yml")
        return train(out_dir, data, nlu_only=True, name="split")


def parse_many(model: Path, texts: list[str]) -> tuple[list[dict[str, Any]], list[float]]:
    """Parse in the Rasa process, timing each parse there (no HTTP in the figure)."""
    out = subprocess.run(
        [str(venv() / "bin" / "python"), "-m", "nlu.rasa_parse"],
        input=json.dumps({"model": str(model), "texts": texts}),
        capture_output=True,
        text=True,
        check=True,
        env=env(),
        cwd=REPO,
    )
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    return [r["result"] for r in rows], [r["ms"] for r in rows]

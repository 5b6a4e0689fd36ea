"""Documents as passages: one passage per section, with its title, section and public flag."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

CORPUS_DIR = Path(__file__).parent / "corpus"


@dataclass(frozen=True)
class Passage:
    text: str
    title: str
    section: str
    source: str
    public: bool

    def as_dict(self, score: float) -> dict:
        return {
            "text": self.text,
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "location": self.section,
            "public": self.public,
            "score": round(score, 4),
        }


def read_markdown(path: Path) -> list[Passage]:
    raw = path.read_text(encoding="utf-8")
    meta: dict = {}
    if raw.startswith("---"):
        _, front, raw = raw.split("---", 2)
        meta = yaml.safe_load(front) or {}
    title = meta.get("title") or path.stem
    passages = []
    for block in re.split(r"(?m)^(?=#{1,3} )", raw):
        lines = block.strip().splitlines()
        if not lines:
            continue
        heading = lines[0].lstrip("#").strip() if lines[0].startswith("#") else ""
        body = "\n".join(lines[1:] if heading else lines).strip()
        if body:
            passages.append(Passage(body, title, heading or title, path.name, bool(meta.get("public", False))))
    return passages


def load_corpus(folder: Path = CORPUS_DIR) -> list[Passage]:
    return [p for path in sorted(folder.glob("*.md")) for p in read_markdown(path)]

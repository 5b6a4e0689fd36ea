"""Read the Rasa project in nlu/ (Rasa 3.x YAML): examples, lookups, synonyms, regexes.

Both engines train from these files; nothing else holds training data.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).parent
DATA_DIR = PROJECT_DIR / "data"

_ENTITY_MARKUP = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<entity>[^)]+)\)|(?P<json>\{[^}]+\}))")


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[Entity, ...] = ()


@dataclass
class TrainingData:
    examples: list[Example] = field(default_factory=list)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)  # spoken form -> canonical value
    regexes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def intents(self) -> list[str]:
        return sorted({e.intent for e in self.examples})


def parse_markup(line: str) -> tuple[str, tuple[Entity, ...]]:
    """'[강남](district)는?' -> ('강남는?', (Entity('district','강남',0,2),))."""
    text, entities, pos = [], [], 0
    for m in _ENTITY_MARKUP.finditer(line):
        text.append(line[pos : m.start()])
        start = sum(len(t) for t in text)
        surface = m.group("text")
        if m.group("json"):
            spec = json.loads(m.group("json"))
            name, value = spec["entity"], str(spec.get("value", surface))
        else:
            name, _, value = m.group("entity").partition(":")
            value = value or surface
        text.append(surface)
        entities.append(Entity(name, value, start, start + len(surface)))
        pos = m.end()
    text.append(line[pos:])
    return "".join(text), tuple(entities)


def to_markup(example: Example) -> str:
    """The example back in Rasa's markup, canonical values kept: '[강남]{"entity": "district", "value": "강남구"}는?'."""
    out, pos = [], 0
    for e in sorted(example.entities, key=lambda e: e.start):
        surface = example.text[e.start : e.end]
        out.append(example.text[pos : e.start])
        out.append(
            f"[{surface}]({e.entity})"
            if surface == e.value
            else f"[{surface}]" + json.dumps({"entity": e.entity, "value": e.value}, ensure_ascii=False)
        )
        pos = e.end
    return "".join(out) + example.text[pos:]


def write_nlu_yaml(path: Path, examples: list[Example]) -> None:
    """Examples as a Rasa NLU file (as `rasa train nlu` and `--test-file` read them)."""
    by_intent: dict[str, list[str]] = {}
    for ex in examples:
        by_intent.setdefault(ex.intent, []).append(to_markup(ex))
    lines = ['version: "3.1"', "nlu:"]
    for intent, texts in by_intent.items():
        lines += [f"- intent: {intent}", "  examples: |"] + [f"    - {t}" for t in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _items(block: str) -> list[str]:
    return [ln.strip()[2:].strip() for ln in block.splitlines() if ln.strip().startswith("- ")]


def load_files(paths: list[Path]) -> TrainingData:
    data = TrainingData()
    for path in paths:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in doc.get("nlu", []):
            examples = _items(item.get("examples", ""))
            if "intent" in item:
                for ex in examples:
                    text, ents = parse_markup(ex)
                    data.examples.append(Example(text, item["intent"], ents))
            elif "lookup" in item:
                data.lookups.setdefault(item["lookup"], []).extend(examples)
            elif "synonym" in item:
                for ex in examples:
                    data.synonyms[ex] = str(item["synonym"])
            elif "regex" in item:
                data.regexes.setdefault(item["regex"], []).extend(examples)
    return data


def project_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted(p for p in data_dir.glob("*.yml") if p.name not in {"rules.yml", "stories.yml"})


def load(data_dir: Path = DATA_DIR) -> TrainingData:
    return load_files(project_files(data_dir))


def fingerprint(data_dir: Path = DATA_DIR, salt: str = "") -> str:
    """Changes whenever a training file (or the engine version in salt) changes."""
    h = hashlib.sha256(salt.encode())
    for p in project_files(data_dir):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]


def split(examples: list[Example], test_fraction: float = 0.2) -> tuple[list[Example], list[Example]]:
    """Deterministic split by a hash of the text, stratified per intent."""
    train, test = [], []
    for ex in examples:
        bucket = int(hashlib.md5(f"{ex.intent}|{ex.text}".encode()).hexdigest(), 16) % 1000
        (test if bucket < test_fraction * 1000 else train).append(ex)
    return train, test

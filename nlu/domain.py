"""The Rasa domain and rules as the rest of the product reads them: intent names, slots, the action per intent.

One source for every list of intents (nlu/domain.yml), so that a new intent is named in one place.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from .training_data import DATA_DIR, PROJECT_DIR


@cache
def domain() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))


@cache
def intents() -> tuple[str, ...]:
    return tuple(domain()["intents"])


@cache
def slot_entities() -> dict[str, list[str]]:
    """slot -> the entities that fill it (from_entity mappings)."""
    return {
        name: [m["entity"] for m in spec.get("mappings", []) if m.get("type") == "from_entity"] for name, spec in domain()["slots"].items()
    }


@cache
def rules() -> dict[str, str]:
    """intent -> action, from the one-step rules."""
    policy = {}
    for rule in yaml.safe_load((DATA_DIR / "rules.yml").read_text(encoding="utf-8"))["rules"]:
        steps = rule["steps"]
        if len(steps) == 2 and "intent" in steps[0] and "action" in steps[1]:
            policy[steps[0]["intent"]] = steps[1]["action"]
    return policy

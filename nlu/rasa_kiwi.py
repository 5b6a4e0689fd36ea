"""A Korean tokenizer for Rasa 3.6: Kiwi morphemes as a graph component (runs in .rasa-venv only).

Used in nlu/config.yml as `nlu.rasa_kiwi.KiwiTokenizer`. Tokens are surface substrings, so entity
annotations ("[강남](district)는") line up with token boundaries; contracted morphemes that share
letters ("알려줘" = 알리+어+주+어) merge into one token.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from .korean import kiwi

PUNCTUATION = {"SF", "SP", "SS", "SE", "SO", "SW"}  # Kiwi's tags for . , quotes … - and other symbols


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class KiwiTokenizer(Tokenizer):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent_tokenization_flag": False, "intent_split_symbol": "_", "token_pattern": None, "prefix_separator_symbol": None}

    @staticmethod
    def required_packages() -> list[str]:
        return ["kiwipiepy"]

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> KiwiTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute)
        spans: list[list[int]] = []
        for t in kiwi().tokenize(text):
            start, end = t.start, t.start + t.len
            if end <= start or t.tag in PUNCTUATION:
                continue
            if spans and start < spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        tokens = [Token(text[s:e], s, e) for s, e in spans]
        return self._apply_token_pattern(tokens)

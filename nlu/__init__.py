"""NLU: the Rasa project in this folder and the engines that read it."""

from . import discourse, domain
from .embedded import FALLBACK_INTENT, EmbeddedNLU, load_or_train
from .evaluation import evaluate
from .korean import content_words, content_words_many, kiwi
from .training_data import Example, TrainingData, load, load_files, split

__all__ = [
    "FALLBACK_INTENT",
    "discourse",
    "domain",
    "EmbeddedNLU",
    "Example",
    "TrainingData",
    "content_words",
    "content_words_many",
    "evaluate",
    "kiwi",
    "load",
    "load_files",
    "load_or_train",
    "split",
]

"""Randomly initialised models of the real architectures, built offline, for tests and benchmarks.

No weights can be downloaded here. These files are what the libraries load (an openai-whisper
checkpoint, a CTranslate2 Whisper conversion, a Coqui VITS checkpoint), so they go through the same
loading and inference code as real models; only their output is meaningless.

Run as a script (`python random_models.py vits OUT SIZE`) under the interpreter that has coqui-tts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Whisper sizes: "test" is as small as the architecture allows; "tiny" has the dimensions of whisper tiny.
WHISPER = {"test": (64, 2, 1), "tiny": (384, 6, 4)}  # width, heads, layers
N_VOCAB, N_MELS, AUDIO_CTX, TEXT_CTX = 51865, 80, 1500, 448


def whisper_checkpoint(path: Path, size: str = "test") -> Path:
    """An openai-whisper checkpoint that `whisper.load_model(path)` loads."""
    import dataclasses

    import torch
    from whisper.model import ModelDimensions, Whisper

    width, heads, layers = WHISPER[size]
    dims = ModelDimensions(N_MELS, AUDIO_CTX, width, heads, layers, N_VOCAB, TEXT_CTX, width, heads, layers)
    torch.manual_seed(0)
    model = Whisper(dims)
    with torch.no_grad():
        model.decoder.positional_embedding.normal_(0, 0.01)  # torch.empty otherwise: NaN
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"dims": dataclasses.asdict(dims), "model_state_dict": model.state_dict()}, path)
    return path


def faster_whisper_model(out: Path, size: str = "test") -> Path:
    """A CTranslate2 (int8) Whisper folder that faster-whisper's WhisperModel(out) loads offline.

    The tokenizer.json is built from the multilingual.tiktoken that openai-whisper ships (faster-whisper
    would otherwise fetch one from the Hub), and lang_ids are written from it: transformers 5 no longer
    puts lang_to_id in the generation config the converter reads.
    """
    import tempfile

    import ctranslate2
    import torch
    import whisper
    from transformers import PreTrainedTokenizerFast, WhisperConfig, WhisperForConditionalGeneration
    from transformers.convert_slow_tokenizer import TikTokenConverter
    from whisper.tokenizer import LANGUAGES, get_encoding

    width, heads, layers = WHISPER[size]
    encoding = get_encoding("multilingual")
    sot, eot = encoding.encode_single_token("<|startoftranscript|>"), encoding.encode_single_token("<|endoftext|>")
    config = WhisperConfig(
        vocab_size=N_VOCAB,
        num_mel_bins=N_MELS,
        d_model=width,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=4 * width,
        decoder_ffn_dim=4 * width,
        max_source_positions=AUDIO_CTX,
        max_target_positions=TEXT_CTX,
        decoder_start_token_id=sot,
        bos_token_id=eot,
        eos_token_id=eot,
        pad_token_id=eot,
        suppress_tokens=[],
        begin_suppress_tokens=[220, eot],
    )
    torch.manual_seed(0)
    model = WhisperForConditionalGeneration(config)
    with tempfile.TemporaryDirectory() as tmp:
        specials = sorted(encoding._special_tokens, key=encoding._special_tokens.get)
        vocab_file = Path(whisper.__file__).parent / "assets" / "multilingual.tiktoken"
        TikTokenConverter(vocab_file=str(vocab_file), pattern=encoding._pat_str, extra_special_tokens=specials).converted().save(
            f"{tmp}/tokenizer.json"
        )
        PreTrainedTokenizerFast(tokenizer_file=f"{tmp}/tokenizer.json").save_pretrained(tmp)
        model.save_pretrained(tmp)
        ctranslate2.converters.TransformersConverter(tmp).convert(str(out), quantization="int8", force=True)
        (out / "tokenizer.json").write_bytes(Path(tmp, "tokenizer.json").read_bytes())
    ct2_config = json.loads((out / "config.json").read_text())
    ct2_config["lang_ids"] = sorted(encoding._special_tokens[t] for code in LANGUAGES if (t := f"<|{code}|>") in encoding._special_tokens)
    (out / "config.json").write_text(json.dumps(ct2_config))
    return out


def vits_model(out: Path, size: str = "test", python: str | None = None) -> Path:
    """A Coqui VITS checkpoint over Hangul syllables (no phonemizer), built in the Coqui environment.

    "test" is tiny; "full" has VITS's own default dimensions (the size of Coqui's released VITS models).
    Returns the model.pth path, with its config.json beside it.
    """
    from voice.tts import coqui_python

    subprocess.run([coqui_python(python), __file__, "vits", str(out), size], check=True, capture_output=True)
    return out / "model.pth"


def _build_vits(out: Path, size: str) -> None:
    import torch
    from TTS.config.shared_configs import BaseAudioConfig
    from TTS.tts.configs.shared_configs import CharactersConfig
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig
    from TTS.tts.models.vits import Vits

    tiny = {
        "hidden_channels": 32,
        "hidden_channels_ffn_text_encoder": 64,
        "num_layers_text_encoder": 1,
        "num_layers_posterior_encoder": 1,
        "num_layers_flow": 1,
        "upsample_initial_channel_decoder": 32,
        "resblock_kernel_sizes_decoder": [3],
        "resblock_dilation_sizes_decoder": [[1, 3, 5]],
    }
    hangul = "".join(chr(c) for c in range(0xAC00, 0xD7A4))
    config = VitsConfig(
        model_args=VitsArgs(init_discriminator=False, **(tiny if size == "test" else {})),
        audio=BaseAudioConfig(sample_rate=16000 if size == "test" else 22050),  # test: told apart from espeak-ng (22.05 kHz)
        text_cleaner="basic_cleaners",
        use_phonemes=False,
        characters=CharactersConfig(
            characters_class="TTS.tts.models.vits.VitsCharacters",
            pad="<PAD>",
            eos="<EOS>",
            bos="<BOS>",
            blank="<BLNK>",
            characters=hangul + "abcdefghijklmnopqrstuvwxyz0123456789",
            punctuations="!'(),-.:;? ",
        ),
    )
    torch.manual_seed(0)
    model = Vits.init_from_config(config)
    out.mkdir(parents=True, exist_ok=True)
    torch.save({"model": model.state_dict()}, out / "model.pth")
    config.save_json(str(out / "config.json"))


if __name__ == "__main__":
    _build_vits(Path(sys.argv[2]), sys.argv[3])

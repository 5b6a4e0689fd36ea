"""`secretary`: serve | ask | parse | train | nlu | ingest | search | transcribe | say | models | bench."""

from __future__ import annotations

import asyncio
import json
import logging
import runpy
import subprocess
import sys
import time
from pathlib import Path

import typer

from .channels import CHANNELS
from .config import get_settings

app = typer.Typer(help="Seoul Voice Secretary", no_args_is_help=True, add_completion=False)
BENCH_DIR = Path(__file__).resolve().parent.parent / "bench"


def _channel(value: str) -> str:
    if value not in CHANNELS:
        raise typer.BadParameter(f"알 수 없는 채널입니다. {', '.join(CHANNELS)} 중 하나를 쓰세요.")
    return value


@app.command()
def serve(
    host: str | None = typer.Option(None, help="default: SECRETARY_HOST or 127.0.0.1"),
    port: int | None = typer.Option(None, help="default: SECRETARY_PORT or 8000"),
) -> None:
    """Run the server (embedded NLU, SQLite and sample data unless configured otherwise)."""
    import uvicorn

    s = get_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run("assistant.app:create_app", factory=True, host=host or s.host, port=port or s.port)


@app.command()
def ask(
    text: str,
    channel: str = typer.Option("public", callback=_channel),
    session: str | None = typer.Option(None),
    user: str | None = typer.Option(None, "--user", help="answer as this account (a local operator's tool); default: a citizen"),
    as_json: bool = typer.Option(False, "--json", help="print the whole reply as JSON"),
) -> None:
    """Ask one question in-process, as the server would answer it."""
    from .auth import ANONYMOUS, Principal
    from .service import Secretary

    async def run() -> None:
        sec = await Secretary.start(get_settings())
        try:
            who = ANONYMOUS
            if user:
                row = await sec.storage.user_by_name(user)
                if row is None:
                    raise typer.BadParameter(f"그런 사용자가 없습니다: {user}")
                who = Principal.of(row, "cli")
            reply = await sec.chat(text, channel, session, who, "cli")
        finally:
            await sec.close()
        typer.echo(reply.model_dump_json(indent=1) if as_json else reply.text)

    asyncio.run(run())


users_app = typer.Typer(help="Accounts: the mayor, officers (the directory calls resolve against) and admins.", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("비밀번호", hide_input=True, confirmation_prompt=True)


def _records(work) -> None:  # type: ignore[no-untyped-def]
    """Run `work(storage, actor)` against the database; API errors become a Korean message and exit 1."""
    from actions.records import Actor

    from .errors import CATALOGUE, ApiError
    from .storage import Storage

    async def run() -> None:
        storage = Storage(get_settings().db_url)
        try:
            await storage.init()
            await work(storage, Actor("cli", "admin"))
        finally:
            await storage.close()

    try:
        asyncio.run(run())
    except ApiError as exc:
        typer.echo(CATALOGUE[exc.code][1].format(**exc.params), err=True)
        raise typer.Exit(1) from None


@users_app.command("add")
def users_add(
    name: str,
    role: str = typer.Option(..., "--role", help="mayor, officer or admin"),
    display_name: str | None = typer.Option(None, "--display-name"),
    department: str | None = typer.Option(None, "--department"),
    title: str | None = typer.Option(None, "--title"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from the first line of stdin"),
) -> None:
    """Add an account (officers with --department and --title join the directory calls resolve against)."""
    from . import users

    password = _password(password_stdin)
    _records(lambda storage, actor: users.add(storage, actor, name, role, password, display_name, department, title))
    typer.echo(f"{name} ({role}) 계정을 만들었습니다.")


@users_app.command("list")
def users_list() -> None:
    """Every account: name, role, department, title, whether it can sign in."""

    async def show(storage, actor) -> None:  # type: ignore[no-untyped-def]
        for u in await storage.users():
            state = "사용" if u.active and u.password_hash else ("비밀번호 없음" if u.active else "중지")
            typer.echo(f"{u.username:<16} {u.role:<8} {u.display_name:<8} {u.department or '-':<12} {u.title or '-':<6} {state}")

    _records(show)


@users_app.command("disable")
def users_disable(name: str) -> None:
    """Disable an account: its sign-ins end at once."""
    from . import users

    _records(lambda storage, actor: users.set_active(storage, actor, name, False))
    typer.echo(f"{name} 계정을 중지했습니다.")


@users_app.command("set-password")
def users_set_password(
    name: str, password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from the first line of stdin")
) -> None:
    """Set a password: the account's other sign-ins end at once."""
    from . import users

    password = _password(password_stdin)
    _records(lambda storage, actor: users.set_password(storage, actor, name, password))
    typer.echo(f"{name} 계정의 비밀번호를 바꿨습니다.")


@app.command()
def parse(
    text: str = typer.Argument(..., help="a sentence, or - to read one per line from stdin"),
    as_json: bool = typer.Option(False, "--json", help="one Rasa /model/parse JSON object per line"),
) -> None:
    """Intent and entities of TEXT (or of every stdin line with -)."""
    from nlu import load_or_train

    engine = load_or_train(get_settings().model_dir)
    engine.threshold = get_settings().nlu_threshold
    lines = (ln.rstrip("\n") for ln in sys.stdin) if text == "-" else [text]
    for line in lines:
        if not line.strip():
            typer.echo(json.dumps({"text": line, "error": "empty"}, ensure_ascii=False) if as_json else "")
            continue
        r = engine.parse(line)
        if as_json:
            typer.echo(json.dumps(r, ensure_ascii=False))
        else:
            ents = ", ".join(f"{e['entity']}={e['value']}" for e in r["entities"])
            typer.echo(f"{r['intent']['name']} ({r['intent']['confidence']:.2f}) {ents}")


@app.command()
def train(
    engine: str = typer.Option("embedded", help="embedded, or rasa (real Rasa 3.6 in .rasa-venv: make rasa)"),
    force: bool = typer.Option(True, help="retrain the embedded model even if the cached one is current"),
) -> None:
    """Train NLU from nlu/data: the embedded engine (cached in the data folder) or a Rasa model."""
    t0 = time.perf_counter()
    if engine == "rasa":
        from nlu import rasa_engine

        try:
            model = rasa_engine.train(get_settings().data_dir / "rasa-models")
        except FileNotFoundError as exc:
            raise typer.BadParameter(str(exc)) from None
        typer.echo(f"trained Rasa in {time.perf_counter() - t0:.0f}s -> {model}")
        return
    if engine != "embedded":
        raise typer.BadParameter("engine은 embedded 또는 rasa입니다.")
    from nlu import load_or_train
    from nlu.embedded import model_path

    load_or_train(get_settings().model_dir, force=force)
    typer.echo(f"trained in {time.perf_counter() - t0:.1f}s -> {model_path(get_settings().model_dir)}")


nlu_app = typer.Typer(help="NLU engines: compare the embedded engine with real Rasa.", no_args_is_help=True)
app.add_typer(nlu_app, name="nlu")


@nlu_app.command("compare")
def compare(
    as_json: bool = typer.Option(False, "--json", help='one object {"embedded": {...}, "rasa": {...}}'),
    test_file: Path | None = typer.Option(None, help="a Rasa NLU YAML file to test on (train on all of nlu/data)"),
) -> None:
    """Train both engines on the same train split, test both on the same held-out split, in one run."""
    import tempfile

    from nlu import EmbeddedNLU, evaluate, load, load_files, rasa_engine, split
    from nlu.evaluation import score

    data = load()
    if test_file:
        if not test_file.exists():
            raise typer.BadParameter(f"파일이 없습니다: {test_file}")
        train_set, test_set = data.examples, load_files([test_file]).examples
    else:
        train_set, test_set = split(data.examples)
    figures = {"embedded": evaluate(EmbeddedNLU(data).train(train_set).parse, test_set)}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            model = rasa_engine.train_split(train_set, Path(tmp))
        except FileNotFoundError as exc:
            raise typer.BadParameter(str(exc)) from None
        results, latencies = rasa_engine.parse_many(model, [e.text for e in test_set])
    figures["rasa"] = score(results, test_set, latencies)
    keys = ("intent_accuracy", "entity_f1", "parse_p50_ms", "parse_p95_ms", "n_test")
    if as_json:
        typer.echo(json.dumps({name: {k: f[k] for k in keys} for name, f in figures.items()}))
        return
    typer.echo(
        f"train {len(train_set)} / test {len(test_set)} examples ({test_file or 'own 20% split of nlu/data'}); parse timed in each engine's process"
    )
    typer.echo(f"{'engine':<10}" + "".join(f"{k:>17}" for k in keys))
    for name, f in figures.items():
        typer.echo(f"{name:<10}" + "".join(f"{f[k]:>17}" for k in keys))


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="files or folders (.txt .md .pdf .html .docx)"),
    public: bool = typer.Option(False, "--public/--internal", help="may citizens see these documents? (Markdown front matter wins)"),
) -> None:
    """Add documents to the reading room. Unchanged files are skipped; a changed file replaces its old passages."""
    from tqdm import tqdm

    import knowledge

    knowledge.use(get_settings())
    files, _ = knowledge.store.expand(paths)
    with tqdm(total=len(files), unit="file", file=sys.stderr, disable=not files) as bar:

        def step(f: Path) -> None:
            bar.set_postfix_str(f.name[-30:])
            bar.update(1)

        results = knowledge.get_store().ingest(paths, public=public, progress=step)
    labels = {"added": "추가", "updated": "갱신", "unchanged": "변경 없음", "failed": "실패", "skipped": "건너뜀"}
    for r in results:
        detail = f"{r.chunks}개 구절" if r.status in ("added", "updated", "unchanged") else r.reason
        typer.echo(f"{labels[r.status]:<6} {r.path}: {detail}")

    async def audit(storage, actor) -> None:  # type: ignore[no-untyped-def]
        for r in results:
            if r.status in ("added", "updated"):
                await storage.audit(actor, "ingest", Path(r.path).name, {"status": r.status, "chunks": r.chunks, "public": public})

    _records(audit)
    failed = sum(r.status == "failed" for r in results)
    typer.echo(f"{len(results)}개 중 실패 {failed}개", err=True)
    raise typer.Exit(1 if failed else 0)


@app.command()
def search(
    query: str = typer.Argument(..., help="a question, or - to read one per line from stdin"),
    k: int = typer.Option(5, "-k", min=1, max=50),
    as_json: bool = typer.Option(False, "--json", help="one JSON array per line"),
    public_only: bool = typer.Option(False, "--public-only", help="search as a citizen"),
    mode: str = typer.Option("hybrid", help="hybrid, dense or lexical"),
) -> None:
    """Top passages for QUERY (or for every stdin line with -), with source, location and score."""
    import knowledge

    knowledge.use(get_settings())
    if mode not in knowledge.MODES:
        raise typer.BadParameter(f"mode는 {', '.join(knowledge.MODES)} 중 하나입니다.")
    for line in (ln.rstrip("\n") for ln in sys.stdin) if query == "-" else [query]:
        hits = knowledge.search(line, k, public_only, mode) if line.strip() else []
        if as_json:
            typer.echo(
                json.dumps(
                    [{x: h[x] for x in ("text", "source", "title", "section", "page", "location", "score")} for h in hits],
                    ensure_ascii=False,
                )
            )
        else:
            for h in hits:
                typer.echo(f"{h['score']:.4f}  {knowledge.cite(h)}  {h['text'][:80]}")


@app.command()
def transcribe(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="any audio ffmpeg decodes"),
    backend: str | None = typer.Option(None, help="openai-whisper or faster-whisper (default: SECRETARY_ASR_BACKEND)"),
    model: str | None = typer.Option(None, help="name or path (default: SECRETARY_ASR_MODEL)"),
) -> None:
    """Print what the recognizer hears in FILE (Korean, with the city's words as the prompt)."""
    from voice import asr, audio, vad

    s = get_settings()
    try:
        recognizer = asr.load(backend or s.asr_backend, model or s.asr_model)
        speech = vad.trim(audio.decode(file.read_bytes(), s.voice_max_seconds))
    except (asr.ASRUnavailable, audio.AudioError) as exc:
        typer.echo(getattr(exc, "message", str(exc)), err=True)
        raise typer.Exit(2) from None
    typer.echo(recognizer.transcribe(speech, asr.domain_prompt()))


@app.command()
def say(
    text: str,
    output: Path = typer.Option(..., "-o", "--output", help="out.wav or out.ogg (Opus)"),
    model: str | None = typer.Option(None, help="a Coqui model name or path (default: SECRETARY_TTS_MODEL, else espeak-ng)"),
) -> None:
    """Speak TEXT into a WAV or Ogg/Opus file, reading numbers and units the Korean way."""
    from voice import audio, tts

    s = get_settings()
    try:
        samples, rate = tts.load(model or s.tts_model, s.tts_python, s.tts_speaker).synthesize(text)
    except tts.TTSUnavailable as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(2) from None
    output.write_bytes(audio.to_opus(samples, rate) if output.suffix.lower() in (".ogg", ".opus") else audio.to_wav(samples, rate))
    typer.echo(f"{output}: {len(samples) / rate:.1f}s")


models_app = typer.Typer(help="ASR and TTS models: which are configured, which are here, how to get them.", invoke_without_command=True)
app.add_typer(models_app, name="models")


@models_app.callback()
def models(ctx: typer.Context) -> None:
    """List the configured models and whether each is installed."""
    if ctx.invoked_subcommand:
        return
    import shutil

    from voice import asr

    s = get_settings()
    here = asr.present(s.asr_backend, s.asr_model)
    typer.echo(
        f"ASR  {s.asr_backend} '{s.asr_model}': {'installed' if here else 'NOT installed -> secretary models download ' + s.asr_model}"
    )
    for backend in asr.BACKENDS:
        for name in ("tiny", "base", "small", "medium", "large-v3"):
            if asr.present(backend, name):
                typer.echo(f"     also here: {backend} '{name}'")
    from voice.tts import coqui_python

    python = coqui_python(s.tts_python)
    has_coqui = subprocess.run([python, "-c", "import TTS"], capture_output=True).returncode == 0
    typer.echo(f"TTS  coqui-tts under {python}: {'installed' if has_coqui else 'NOT installed -> make tts'}")
    if s.tts_model:
        typer.echo(f"TTS  coqui '{s.tts_model}' (SECRETARY_TTS_MODEL)")
    typer.echo(
        f"TTS  espeak-ng (Korean voice): {'installed' if shutil.which('espeak-ng') else 'NOT installed -> apt-get install espeak-ng'}"
    )


@models_app.command("download")
def models_download(name: str, backend: str | None = typer.Option(None, help="openai-whisper or faster-whisper")) -> None:
    """Fetch a model with its library's own download (needs internet): Whisper names, or Coqui's tts_models/..."""
    s = get_settings()
    backend = backend or ("coqui" if name.startswith("tts_models/") else s.asr_backend)
    try:
        if backend == "coqui":
            from voice.tts import coqui_python

            code = f"from TTS.utils.manage import ModelManager; ModelManager().download_model({name!r})"
            subprocess.run([coqui_python(s.tts_python), "-c", code], check=True)
        elif backend == "openai-whisper":
            import whisper

            from voice.asr import whisper_cache

            whisper._download(whisper._MODELS[name], str(whisper_cache()), in_memory=False)
        else:
            from faster_whisper.utils import download_model

            download_model(name)
    except KeyError:
        raise typer.BadParameter(f"알 수 없는 모델 이름입니다: {name}") from None
    except (OSError, subprocess.CalledProcessError) as exc:
        typer.echo(f"내려받지 못했습니다(인터넷 연결을 확인하세요): {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{backend} '{name}' downloaded")


@app.command()
def bench(what: str = typer.Argument("nlu", help="which benchmark in bench/ (nlu, knowledge, voice)")) -> None:
    """Run a benchmark from bench/ and print its figures."""
    script = BENCH_DIR / f"{what}.py"
    if not script.exists():
        raise typer.BadParameter(f"no benchmark {script}")
    runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    app()

# The assistant image (also runs the rasa-sdk action server: python -m rasa_sdk --actions actions).
# Built where there is internet: torch comes from PyTorch's CPU index (PyPI's build pulls gigabytes of
# CUDA libraries), openai-whisper without its GPU-only triton. Coqui TTS is not in this image: mount a
# venv that has it and set SECRETARY_TTS_PYTHON (see voice/tts-requirements.txt); espeak-ng speaks meanwhile.
FROM node:20-slim AS web
WORKDIR /web
COPY assistant/web/package.json assistant/web/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY assistant assistant
COPY --from=web /web/node_modules assistant/web/node_modules
COPY nlu nlu
COPY actions actions
COPY knowledge knowledge
COPY voice voice
COPY webrtc webrtc
RUN pip install --no-cache-dir '.[postgres]' && pip install --no-cache-dir --no-deps openai-whisper==20250625
ENV SECRETARY_DATA_DIR=/data SECRETARY_HOST=0.0.0.0 ORT_DISABLE_TELEMETRY=1
RUN secretary train
EXPOSE 8000
CMD ["secretary", "serve"]

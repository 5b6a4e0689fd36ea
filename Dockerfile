# The assistant image (also runs the rasa-sdk action server: python -m rasa_sdk --actions actions).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY assistant assistant
COPY nlu nlu
COPY actions actions
COPY knowledge knowledge
COPY voice voice
COPY webrtc webrtc
RUN pip install --no-cache-dir '.[postgres]'
ENV SECRETARY_DATA_DIR=/data SECRETARY_HOST=0.0.0.0 ORT_DISABLE_TELEMETRY=1
RUN secretary train
EXPOSE 8000
CMD ["secretary", "serve"]

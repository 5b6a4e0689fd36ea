// @ts-check
// Voice in the browser: the microphone streamed to WS /v1/ws as 16 kHz PCM16 (an AudioWorklet resamples),
// and the reply played sentence by sentence as it arrives. Speaking again stops the playback (barge-in).

const MIC_ERRORS = /** @type {Record<string, string>} */ ({
  NotAllowedError: "마이크 권한이 거부되었습니다. 주소창의 자물쇠 아이콘을 눌러 마이크를 허용한 뒤 다시 눌러 주세요.",
  SecurityError: "이 주소에서는 마이크를 쓸 수 없습니다. https 주소로 접속해 주세요.",
  NotFoundError: "마이크를 찾을 수 없습니다. 마이크가 연결되어 있는지 확인해 주세요.",
  NotReadableError: "다른 프로그램이 마이크를 사용 중입니다. 그 프로그램을 닫고 다시 시도해 주세요.",
});

/** @param {unknown} e */
export function micError(e) {
  const name = e && typeof e === "object" && "name" in e ? String(e.name) : "";
  return MIC_ERRORS[name] || "마이크를 켤 수 없습니다. 브라우저 설정을 확인해 주세요.";
}

export const hasMicrophone = () => !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);

export class Microphone {
  /** @param {import("./net.js").Socket} socket */
  constructor(socket) {
    this.socket = socket;
    /** @type {AudioContext | null} */
    this.ctx = null;
    /** @type {MediaStream | null} */
    this.stream = null;
    /** @type {AudioWorkletNode | null} */
    this.node = null;
  }

  get on() {
    return !!this.stream;
  }

  /** Ask for the microphone and start a streaming turn; throws a Korean message. */
  async start() {
    if (!hasMicrophone()) throw new Error(MIC_ERRORS.SecurityError);
    if (!this.socket.open) throw new Error("서버와 연결이 끊겨 음성을 보낼 수 없습니다. 잠시 뒤 다시 시도해 주세요.");
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    } catch (e) {
      throw new Error(micError(e));
    }
    this.ctx = new AudioContext();
    await this.ctx.audioWorklet.addModule("/static/js/pcm-worklet.js");
    this.node = new AudioWorkletNode(this.ctx, "pcm16", { processorOptions: { targetRate: 16000 } });
    this.node.port.onmessage = (e) => this.socket.send(/** @type {ArrayBuffer} */ (e.data));
    this.socket.send({ type: "audio.start", format: "pcm16" });
    this.ctx.createMediaStreamSource(this.stream).connect(this.node);
  }

  /** End the turn: the server transcribes what it has. After its `vad: end` (it heard the silence), just let go. */
  stop(tellServer = true) {
    if (!this.stream) return;
    this.stream.getTracks().forEach((t) => t.stop());
    this.node && this.node.disconnect();
    this.ctx && this.ctx.close();
    this.stream = this.ctx = this.node = null;
    if (tellServer) this.socket.send({ type: "audio.end" });
  }
}

/** Plays `tts.sentence` frames in order; `stop()` silences it at once. */
export class Speaker {
  constructor() {
    /** @type {HTMLAudioElement[]} */
    this.queue = [];
    /** @type {HTMLAudioElement | null} */
    this.current = null;
    this.played = 0;
  }

  /** @param {{base64: string}} frame */
  add(frame) {
    const audio = new Audio(`data:audio/wav;base64,${frame.base64}`);
    this.queue.push(audio);
    if (!this.current) this.next();
  }

  next() {
    this.current = this.queue.shift() || null;
    if (!this.current) return;
    this.current.onended = () => {
      this.played += 1;
      document.body.dataset.played = String(this.played);
      this.next();
    };
    this.current.play().catch(() => this.next()); // autoplay refused: skip silently, the text is on screen
  }

  stop() {
    this.queue = [];
    if (this.current) this.current.pause();
    this.current = null;
  }

  get playing() {
    return !!this.current;
  }
}

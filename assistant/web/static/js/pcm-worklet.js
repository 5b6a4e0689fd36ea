// @ts-nocheck — runs in the AudioWorkletGlobalScope.
// Microphone samples (the context's rate, often 48 kHz) -> 16 kHz mono little-endian PCM16, posted every ~100 ms.

class Pcm16 extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.step = sampleRate / options.processorOptions.targetRate;
    this.pos = 0;
    this.out = new Int16Array(1600);
    this.n = 0;
  }

  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (!ch) return true;
    // Linear interpolation between neighbouring samples: enough for speech at 16 kHz.
    for (; this.pos < ch.length; this.pos += this.step) {
      const i = Math.floor(this.pos);
      const next = i + 1 < ch.length ? ch[i + 1] : ch[i];
      const s = ch[i] + (next - ch[i]) * (this.pos - i);
      this.out[this.n++] = Math.max(-1, Math.min(1, s)) * 0x7fff;
      if (this.n === this.out.length) {
        this.port.postMessage(this.out.buffer.slice(0));
        this.n = 0;
      }
    }
    this.pos -= ch.length;
    return true;
  }
}

registerProcessor("pcm16", Pcm16);

// @ts-check
// The chat every page shares: a text field named `text` (Enter sends), replies in the role="log" element,
// voice where there is a microphone, Korean messages for every failure. Turns go over the socket when it is
// open (the reply, transcript and speech come back on it) and over POST /v1/chat otherwise.

import { api, ApiError, MESSAGES, Socket } from "./net.js";
import { hasMicrophone, Microphone, Speaker } from "./voice.js";

/** @param {string} tag @param {string} [cls] @param {string} [text] */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * @typedef {{ onReply?: (reply: any) => void, onFrame?: (frame: any) => void, speak?: boolean, maxLog?: number }} ChatOptions
 */
export class Chat {
  /** @param {string} channel @param {ChatOptions} [opts] */
  constructor(channel, opts = {}) {
    this.channel = channel;
    this.opts = opts;
    this.log = /** @type {HTMLElement} */ (document.querySelector('[role="log"]'));
    this.form = /** @type {HTMLFormElement} */ (document.getElementById("ask"));
    this.input = /** @type {HTMLInputElement} */ (this.form.elements.namedItem("text"));
    this.status = /** @type {HTMLElement} */ (document.getElementById("status"));
    this.micButton = /** @type {HTMLButtonElement | null} */ (document.getElementById("mic"));
    this.sessionId = sessionStorage.getItem(`svs-session-${channel}`) || "";
    this.speaker = new Speaker();
    this.socket = new Socket(channel, (f) => this.onFrame(f), (state, message) => this.onSocket(state, message));
    this.mic = new Microphone(this.socket);
    /** @type {HTMLElement | null} */
    this.partial = null;
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.send(this.input.value);
    });
    if (this.micButton) {
      if (!hasMicrophone()) this.micButton.hidden = true;
      this.micButton.addEventListener("click", () => this.toggleMic());
      document.addEventListener("keydown", (e) => {
        if (e.key.toLowerCase() === "m" && e.altKey) this.toggleMic(); // Alt+M anywhere: talk / stop
      });
    }
  }

  /** @param {string} message @param {"error" | "info"} [kind] */
  say(message, kind = "error") {
    this.status.textContent = message;
    this.status.dataset.kind = kind;
  }

  /** @param {string} state @param {string} [message] */
  onSocket(state, message) {
    document.body.dataset.socket = state;
    if (state === "open") this.say("", "info");
    else if (state === "signedOut") {
      this.say(message || MESSAGES.signedOut);
      if (document.body.dataset.role !== "citizen") setTimeout(() => (location.href = `/login?next=${location.pathname}`), 2500);
    } else if (state === "closed") this.say(message || MESSAGES.offline);
  }

  /** @param {string} who @param {string} text */
  add(who, text) {
    const item = el("div", `msg ${who}`);
    item.append(el("p", "text", text));
    this.log.append(item);
    const max = this.opts.maxLog || 200;
    while (this.log.children.length > max) this.log.firstElementChild?.remove();
    this.log.scrollTop = this.log.scrollHeight;
    return item;
  }

  /** @param {string} text */
  async send(text) {
    text = text.trim();
    if (!text) return;
    this.input.value = "";
    this.speaker.stop();
    this.add("user", text);
    if (this.socket.send({ type: "chat", text, session_id: this.sessionId || undefined })) return;
    try {
      const reply = await api("/v1/chat", { body: { text, channel: this.channel, session_id: this.sessionId || undefined } });
      this.onReply(reply);
    } catch (e) {
      this.say(e instanceof ApiError ? e.message : MESSAGES.failed);
      if (e instanceof ApiError && e.status === 401 && document.body.dataset.role !== "citizen") location.href = `/login?next=${location.pathname}`;
    }
  }

  /** @param {any} reply */
  onReply(reply) {
    this.sessionId = reply.session_id;
    sessionStorage.setItem(`svs-session-${this.channel}`, reply.session_id);
    const item = this.add("bot", reply.text);
    item.dataset.intent = reply.intent ? reply.intent.name : "";
    const docs = (reply.sources || []).filter((/** @type {any} */ s) => s.url);
    if (docs.length) {
      const list = el("ul", "citations");
      list.setAttribute("aria-label", "출처 문서");
      for (const s of docs) {
        const a = /** @type {HTMLAnchorElement} */ (el("a", "citation", `${s.title} · ${s.location}`));
        a.href = s.url;
        a.target = "_blank";
        const li = el("li");
        li.append(a);
        list.append(li);
      }
      item.append(list);
    }
    this.say("", "info");
    this.opts.onReply && this.opts.onReply(reply);
  }

  /** @param {any} f */
  onFrame(f) {
    switch (f.type) {
      case "reply":
        this.onReply(f);
        break;
      case "transcript.partial":
        if (!this.partial) this.partial = this.add("user partial", "");
        /** @type {HTMLElement} */ (this.partial.firstElementChild).textContent = f.text;
        break;
      case "transcript.final":
        if (this.partial) this.partial.remove();
        this.partial = null;
        this.add("user", f.text).dataset.source = "voice";
        break;
      case "tts.sentence":
        if (this.opts.speak !== false) this.speaker.add(f);
        break;
      case "vad":
        if (f.state === "end" && this.mic.on) this.toggleMic(false);
        break;
      case "tts.cancelled":
        this.speaker.stop();
        break;
      case "error":
        this.say(f.error.message);
        break;
    }
    this.opts.onFrame && this.opts.onFrame(f);
  }

  /** @param {boolean} [tellServer] whether the turn ends here (false: the server already ended it) */
  async toggleMic(tellServer = true) {
    if (this.mic.on) {
      this.mic.stop(tellServer);
    } else {
      this.speaker.stop(); // barge-in: the user speaks, the secretary stops
      try {
        await this.mic.start();
      } catch (e) {
        this.say(e instanceof Error ? e.message : String(e));
        return;
      }
    }
    if (this.micButton) {
      this.micButton.setAttribute("aria-pressed", String(this.mic.on));
      this.micButton.classList.toggle("on", this.mic.on);
    }
    document.body.dataset.mic = this.mic.on ? "on" : "off";
  }
}

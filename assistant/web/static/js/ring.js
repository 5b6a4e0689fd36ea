// @ts-check
// The ringing overlay of an incoming call: who calls and why; accept opens the call screen.

import { api } from "./net.js";

export class Ringer {
  constructor() {
    this.box = /** @type {HTMLElement} */ (document.getElementById("ring"));
    /** @type {any} */
    this.call = null;
    /** @type {HTMLButtonElement} */ (document.getElementById("ring-accept")).addEventListener("click", () => this.answer("accept"));
    /** @type {HTMLButtonElement} */ (document.getElementById("ring-decline")).addEventListener("click", () => this.answer("decline"));
  }

  /** @param {any} f a call.ring frame */
  ring(f) {
    this.call = f;
    const from = f.from || {};
    /** @type {HTMLElement} */ (document.getElementById("ring-title")).textContent = `${from.display_name || "시장실"}${from.title ? ` ${from.title}` : ""}`;
    /** @type {HTMLElement} */ (document.getElementById("ring-why")).textContent = f.reason || "영상 통화를 요청했습니다.";
    this.box.hidden = false;
    /** @type {HTMLButtonElement} */ (document.getElementById("ring-accept")).focus();
    if (navigator.vibrate) navigator.vibrate([300, 200, 300]);
  }

  /** A call event for the ringing call (missed, cancelled, ended): the overlay goes away. */
  update(/** @type {any} */ f) {
    if (this.call && f.call_id === this.call.call_id && f.type !== "call.ring") this.box.hidden = true;
  }

  async answer(/** @type {"accept" | "decline"} */ how) {
    const call = this.call;
    this.box.hidden = true;
    if (!call) return;
    try {
      await api(`/v1/calls/${call.call_id}/${how}`, { method: "POST" });
      if (how === "accept") location.href = `/call/${call.call_id}`;
    } catch (e) {
      alert(e instanceof Error ? e.message : String(e));
    }
  }
}

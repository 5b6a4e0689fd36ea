// @ts-check
// The subway-station kiosk: big touch targets, voice, and a fresh start after a minute without a touch.

import { Chat } from "./chat.js";

const IDLE_MS = Number(new URLSearchParams(location.search).get("idle") || 60) * 1000; // ?idle=5 for a demo
const chat = new Chat("kiosk", { maxLog: 20 });
let timer = 0;
let resets = 0;

function reset() {
  chat.log.replaceChildren();
  chat.speaker.stop();
  if (chat.mic.on) chat.toggleMic();
  chat.sessionId = "";
  chat.socket.restart(); // the server forgets the socket's session too
  sessionStorage.removeItem("svs-session-kiosk");
  chat.say("", "info");
  chat.input.value = "";
  resets += 1;
  document.body.dataset.resets = String(resets);
  /** @type {HTMLElement} */ (document.getElementById("idle-note")).textContent = "이전 대화는 지워졌어요. 새로 물어보세요.";
}

function touched() {
  clearTimeout(timer);
  timer = window.setTimeout(reset, IDLE_MS);
}

for (const b of document.querySelectorAll("[data-ask]")) b.addEventListener("click", () => chat.send(/** @type {HTMLElement} */ (b).dataset.ask || ""));
for (const ev of ["pointerdown", "keydown"]) document.addEventListener(ev, touched);
new MutationObserver(touched).observe(chat.log, { childList: true }); // a reply arriving is activity too
touched();

// @ts-check
// Officers' tablet: the chat plus the officer's own notifications; an incoming call rings here.

import { Chat, el } from "./chat.js";
import { Ringer } from "./ring.js";

const notices = /** @type {HTMLElement} */ (document.getElementById("notices"));
const ringer = new Ringer();

function notice(/** @type {string} */ text) {
  notices.querySelector(".empty")?.remove();
  const li = el("li", "", text);
  li.prepend(el("time", "", new Date().toLocaleTimeString("ko-KR", { hour: "2-digit", minute: "2-digit" }) + " "));
  notices.prepend(li);
}

new Chat("tablet", {
  onFrame: (f) => {
    if (f.type === "call.ring") {
      notice(`영상 통화 요청: ${f.from.display_name}님의 영상 통화 요청`);
      ringer.ring(f);
    } else if (f.type && f.type.startsWith("call.") && f.type !== "call.caption") {
      ringer.update(f);
      if (f.message) notice(f.message);
    } else if (f.type === "notify") notice(f.text);
  },
});

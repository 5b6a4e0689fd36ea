// @ts-check
// The watch: one line per reply (the server shapes the `watch` channel's replies to one short line),
// push-to-talk, and incoming calls.

import { Chat } from "./chat.js";
import { Ringer } from "./ring.js";

const ringer = new Ringer();
new Chat("watch", {
  maxLog: 1, // only the latest exchange fits
  onFrame: (f) => {
    if (f.type === "call.ring") ringer.ring(f);
    else if (f.type && f.type.startsWith("call.")) ringer.update(f);
  },
});

"""A fresh network namespace for WebRTC tests, made by the test run: `unshare -n` with a veth pair.

aioice skips 127.0.0.1, so peers on a loopback-only host gather no candidates; inside the namespace a veth
pair gives them 10.99.0.1 and 10.99.0.2, which exist nowhere else (the machine's own addresses are not
in it, so no test ever uses them). A holder process keeps the namespace alive; commands run in it with
`nsenter`, and the test's own thread joins it with setns(2) (`Netns.entered()`), so its aiortc peers,
Playwright's Chromium and the server all share it. Needs root (CI runs as root on this machine kind).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
from collections.abc import Iterator

CLONE_NEWNET = 0x40000000
SETUP = (
    "ip link set lo up && ip link add v0 type veth peer name v1 && ip addr add 10.99.0.1/24 dev v0 && "
    "ip addr add 10.99.0.2/24 dev v1 && ip link set v0 up && ip link set v1 up && echo ready && exec sleep infinity"
)
_libc = ctypes.CDLL(None, use_errno=True)


def _setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


class Netns:
    def __init__(self) -> None:
        if not shutil.which("unshare") or not shutil.which("ip"):
            raise RuntimeError("unshare and ip (util-linux, iproute2) are needed for the WebRTC tests")
        self.holder = subprocess.Popen(["unshare", "-n", "sh", "-c", SETUP], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.holder.stdout.readline().strip()
        if line != "ready":
            self.holder.kill()
            raise RuntimeError(f"could not make a network namespace (root needed): {self.holder.stderr.read().strip()}")
        self.path = f"/proc/{self.holder.pid}/ns/net"

    def cmd(self, *args: str) -> list[str]:
        """A command line that runs `args` inside the namespace."""
        return ["nsenter", f"--net={self.path}", *args]

    def run(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(self.cmd(*args), **kw)

    @contextlib.contextmanager
    def entered(self) -> Iterator[None]:
        """This thread (and the threads and processes it starts) inside the namespace, then back."""
        home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        there = os.open(self.path, os.O_RDONLY)
        try:
            _setns(there)
            yield
        finally:
            _setns(home)
            os.close(home)
            os.close(there)

    def close(self) -> None:
        self.holder.kill()
        self.holder.wait()

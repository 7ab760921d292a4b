#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one command to a QEMU monitor (QMP) socket and print its answer.

usage: qmp.py SOCKET COMMAND
COMMAND is a QMP command as JSON ({"execute": "device_del", ...}) or, if
it does not start with "{", a human-monitor (HMP) command line such as
"pcie_aer_inject_error -c hp0 0x1" (sent through human-monitor-command).
Bounded: gives up after 10 s.  Exit 0 on a "return", 1 on an "error" or
no answer, 2 on bad usage.  Events QEMU sends meanwhile are printed too.
"""
import json
import socket
import sys

TIMEOUT_S = 10


def main():
    if len(sys.argv) != 3:
        print("usage: qmp.py SOCKET COMMAND", file=sys.stderr)
        return 2
    path, text = sys.argv[1], sys.argv[2].strip()
    if text.startswith("{"):
        try:
            cmd = json.loads(text)
        except ValueError as e:
            print(f"qmp.py: command is not valid JSON: {e}: {text}", file=sys.stderr)
            return 2
        if not isinstance(cmd, dict) or "execute" not in cmd:
            print(f"qmp.py: a QMP command needs \"execute\": {text}", file=sys.stderr)
            return 2
    else:
        cmd = {"execute": "human-monitor-command",
               "arguments": {"command-line": text}}
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT_S)
    try:
        s.connect(path)
        f = s.makefile("rw")
        json.loads(f.readline())  # the greeting
        for c in ({"execute": "qmp_capabilities"}, cmd):
            f.write(json.dumps(c) + "\n")
            f.flush()
            while True:
                line = f.readline()
                if not line:
                    print("qmp.py: QEMU closed the socket", file=sys.stderr)
                    return 1
                msg = json.loads(line)
                if "event" in msg:
                    print(json.dumps(msg))
                    continue
                break
            if "error" in msg:
                print(json.dumps(msg))
                return 1
        print(json.dumps(msg))
        # an HMP command's failure is a "return" whose text says so
        ret = msg.get("return")
        if isinstance(ret, str) and ret.startswith("Error"):
            return 1
        return 0
    except (OSError, ValueError) as e:
        print(f"qmp.py: {path}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

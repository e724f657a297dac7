#!/usr/bin/python3
"""Talks to a running Jupyter server the way a browser does, for the image tests.

  kernel_check.py kernelspec BASE_URL TOKEN
      prints the name of the Go kernel (the kernelspec whose language is go);
      fails if there is none.
  kernel_check.py run BASE_URL TOKEN KERNEL CODE EXPECT
      starts KERNEL through the REST API, runs CODE over the kernel's
      websocket, fails unless the cell succeeds and its output contains
      EXPECT, prints the time the cell took, and shuts the kernel down.

BASE_URL is the server's root, e.g. http://127.0.0.1:8888 or, through a
JupyterHub proxy, http://127.0.0.1:8000/user/alice. Only the standard library
and tornado (a dependency of every Jupyter server) are used.
"""
import asyncio
import json
import sys
import time
import uuid
import urllib.error
import urllib.request

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


def fail(msg):
    print("kernel_check: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def api(base, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base.rstrip("/") + path, data=data, method=method)
    req.add_header("Authorization", "token " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as e:
        fail("%s %s: HTTP %d %s" % (method, path, e.code, e.read()[:300]))
    return json.loads(raw) if raw else None


def go_kernel(base, token):
    specs = api(base, token, "GET", "/api/kernelspecs")["kernelspecs"]
    names = [n for n, s in specs.items() if s["spec"].get("language") == "go"]
    if not names:
        fail("no Go kernel among the kernelspecs: %s" % sorted(specs))
    return names[0]


async def run_cell(base, token, kernel, code, expect, timeout=300):
    k = api(base, token, "POST", "/api/kernels", {"name": kernel})
    kid = k["id"]
    ws_url = base.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
    ws_url = ws_url.rstrip("/") + "/api/kernels/%s/channels" % kid
    conn = await websocket_connect(
        HTTPRequest(ws_url, headers={"Authorization": "token " + token}))
    session = uuid.uuid4().hex
    msg_id = uuid.uuid4().hex
    msg = {
        "header": {"msg_id": msg_id, "username": "test", "session": session,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }
    t0 = time.monotonic()
    await conn.write_message(json.dumps(msg))
    out, errors, status, idle = [], [], None, False
    while not (status and idle):
        left = timeout - (time.monotonic() - t0)
        if left <= 0:
            fail("no reply from the kernel in %d s; output so far: %r" % (timeout, "".join(out)))
        raw = await asyncio.wait_for(conn.read_message(), left)
        if raw is None:
            fail("the kernel websocket closed; output so far: %r" % "".join(out))
        m = json.loads(raw)
        if m.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        t, c = m["header"]["msg_type"], m["content"]
        if t == "stream":
            out.append(c["text"])
        elif t in ("display_data", "execute_result"):
            out.append(c["data"].get("text/plain", "") + c["data"].get("text/html", ""))
        elif t == "error":
            errors.append("%s: %s" % (c.get("ename"), c.get("evalue")))
        elif t == "execute_reply":
            status = c["status"]
        elif t == "status" and c["execution_state"] == "idle":
            idle = True
    took = time.monotonic() - t0
    conn.close()
    api(base, token, "DELETE", "/api/kernels/" + kid)
    text = "".join(out)
    if status != "ok" or errors:
        fail("the cell failed (status %s): %s\noutput: %s" % (status, errors, text))
    if expect not in text:
        fail("the cell's output lacks %r: %r" % (expect, text))
    print("kernel_check: %s answered in %.1f s: %s" % (kernel, took, text.strip()[:200]))


def main(argv):
    if len(argv) >= 4 and argv[1] == "kernelspec":
        print(go_kernel(argv[2], argv[3]))
    elif len(argv) == 7 and argv[1] == "run":
        asyncio.run(run_cell(*argv[2:7]))
    else:
        fail("usage: see the docstring of " + argv[0])


if __name__ == "__main__":
    main(sys.argv)

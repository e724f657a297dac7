#!/usr/bin/env python3
"""Checks a running Jupyter server the way a browser uses it: the Go kernel is listed,
a session for a notebook starts it, and a Go cell sent over the kernel's websocket
prints what it should.

    lab_check.py URL TOKEN KERNEL NOTEBOOK_PATH

Used by scripts/test-notebooks.sh against `make lab` (scripts/lab.sh). Only the
libraries Jupyter itself depends on (tornado).
"""

import json
import sys
import time
import uuid

from tornado import httpclient, ioloop, websocket

CODE = '''import "github.com/dlnb/dlnb/nn"

%%
fmt.Printf("lab ok: relu(2)=%g\\n", nn.ReLU.Func(2))
'''
WANT = "lab ok: relu(2)=2"


async def main(url, token, kernel, path):
    http = httpclient.AsyncHTTPClient()
    auth = {"Authorization": f"token {token}"}

    async def call(method, api, body=None):
        r = await http.fetch(f"{url}{api}", method=method, headers=auth, request_timeout=120,
                             body=None if body is None else json.dumps(body))
        return json.loads(r.body) if r.body else None

    # Without the token the server must refuse.
    try:
        await http.fetch(f"{url}/api/kernelspecs", raise_error=True)
        raise SystemExit("the server answered /api/kernelspecs without a token")
    except httpclient.HTTPClientError as e:
        if e.code not in (401, 403):
            raise
    specs = await call("GET", "/api/kernelspecs")
    if kernel not in specs["kernelspecs"]:
        raise SystemExit(f"kernel {kernel!r} not listed: {sorted(specs['kernelspecs'])}")
    print(f"lab_check: kernel {kernel!r} listed ({specs['kernelspecs'][kernel]['spec']['display_name']})")

    session = await call("POST", "/api/sessions", {"path": path, "type": "notebook", "name": "",
                                                   "kernel": {"name": kernel}})
    kid = session["kernel"]["id"]
    try:
        ws_url = url.replace("http", "ws", 1) + f"/api/kernels/{kid}/channels?token={token}"
        ws = await websocket.websocket_connect(ws_url)
        msg_id = uuid.uuid4().hex
        ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": "lab_check", "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": CODE, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        out, errors, t0 = [], [], time.monotonic()
        while True:
            raw = await ws.read_message()
            if raw is None:
                raise SystemExit("the kernel's websocket closed")
            m = json.loads(raw)
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            t, c = m["msg_type"], m["content"]
            if t == "stream":
                out.append(c["text"])
            elif t == "error":
                errors.append(f"{c['ename']}: {c['evalue']}")
            elif t == "status" and c["execution_state"] == "idle":
                break
        ws.close()
        text = "".join(out)
        if errors or WANT not in text:
            raise SystemExit(f"the Go cell failed: errors {errors}, output {text!r}")
        print(f"lab_check: a Go cell ran through the server in {time.monotonic() - t0:.1f} s: {text.strip()}")
    finally:
        await call("DELETE", f"/api/sessions/{session['id']}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    ioloop.IOLoop.current().run_sync(lambda: main(*sys.argv[1:]), timeout=300)

#!/usr/bin/env python3
"""A small Jupyter REST + kernel-websocket client: the one the tests use to talk to a running
Jupyter server the way a browser does (scripts/test-notebooks.sh against `make lab`,
scripts/test-docker.sh against the image and through JupyterHub's proxy).

    jupyter_api.py kernelspec URL TOKEN
        prints the name of the Go kernel (the kernelspec whose language is go); fails if none.
    jupyter_api.py run URL TOKEN KERNEL CODE EXPECT
        starts KERNEL, runs CODE over the kernel's websocket, fails unless the cell succeeds
        and its output contains EXPECT; prints the time the cell took; shuts the kernel down.
    jupyter_api.py lab URL TOKEN KERNEL NOTEBOOK_PATH
        what opening a notebook in JupyterLab does: the server refuses a request without the
        token, lists KERNEL, starts a session for NOTEBOOK_PATH with it, and a Go cell that
        imports the project's nn package prints what it should; the session is deleted.
    jupyter_api.py page URL TOKEN [PAGE]
        PAGE (default /lab) answers 200 with the token and is JupyterLab's page; without the
        token the server does not serve it (a redirect to the login page, or 403).

URL is the server's root: http://127.0.0.1:8888, or through a JupyterHub proxy
http://127.0.0.1:8000/user/alice. TOKEN is the server's token or a hub API token that may
access the server. Exit status 1 with a message on any failure. Uses the standard library
and websocket-client (both in the project's lock, uv.lock, and docker/class's).

As a module it also has Hub: a student or instructor in front of a JupyterHub with
NativeAuthenticator (sign up, log in with the form, approve, get a token, start and stop a
server), which scripts/class_test.py drives. DLNB_CA_FILE names a CA bundle to trust for
https:// (the class test's self-signed certificate).
"""

import http.cookiejar
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import websocket  # websocket-client

# A Go cell that needs the project's module, the Go toolchain and the warm build cache.
NN_CELL = 'import "github.com/dlnb/dlnb/nn"\n\n%%\nfmt.Printf("lab ok: relu(2)=%g\\n", nn.ReLU.Func(2))\n'
NN_WANT = "lab ok: relu(2)=2"


class Failure(Exception):
    """What went wrong, in words for the test's log."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _ssl_context():
    cafile = os.environ.get("DLNB_CA_FILE")
    return ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()


def _sslopt():
    cafile = os.environ.get("DLNB_CA_FILE")
    return {"ca_certs": cafile} if cafile else {}


class Server:
    """One Jupyter server (or a hub-proxied single-user server) at url, authenticated by token."""

    def __init__(self, url, token, timeout=120):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def request(self, method, path, body=None, auth=True, follow=True):
        """(HTTP status, headers, body bytes); HTTP errors are returned, not raised."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if auth:
            req.add_header("Authorization", "token " + self.token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        handlers = [urllib.request.HTTPSHandler(context=_ssl_context())]
        if not follow:
            handlers.append(_NoRedirect)
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(req, timeout=self.timeout) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()
        except (urllib.error.URLError, OSError) as e:
            raise Failure(f"{method} {self.url}{path}: {e}") from None

    def api(self, method, path, body=None):
        """The decoded JSON answer of a REST call that must succeed (2xx)."""
        code, _, raw = self.request(method, path, body)
        if not 200 <= code < 300:
            raise Failure(f"{method} {self.url}{path}: HTTP {code} {raw[:300]!r}")
        return json.loads(raw) if raw else None

    def kernelspecs(self):
        return self.api("GET", "/api/kernelspecs")["kernelspecs"]

    def go_kernel(self):
        specs = self.kernelspecs()
        names = sorted(n for n, s in specs.items() if s["spec"].get("language") == "go")
        if not names:
            raise Failure(f"no Go kernel among the kernelspecs: {sorted(specs)}")
        return names[0]

    def refuses_without_token(self):
        code, _, _ = self.request("GET", "/api/kernelspecs", auth=False, follow=False)
        if code not in (302, 401, 403):
            raise Failure(f"the server answered /api/kernelspecs without a token: HTTP {code}")
        code, _, _ = self.request("GET", "/api/kernelspecs?token=wrong" + self.token, auth=False, follow=False)
        if code not in (302, 401, 403):
            raise Failure(f"the server answered /api/kernelspecs with a wrong token: HTTP {code}")

    def execute(self, kernel_id, code, timeout=300):
        """Runs code in the kernel over its websocket: (status, output text, errors, seconds)."""
        ws_url = self.url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        ws_url += f"/api/kernels/{kernel_id}/channels"
        try:
            ws = websocket.create_connection(ws_url, header=["Authorization: token " + self.token],
                                             timeout=timeout, sslopt=_sslopt())
        except (websocket.WebSocketException, OSError) as e:
            raise Failure(f"cannot open the kernel's websocket {ws_url}: {e}") from None
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "dlnb-test", "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        out, errors, status, idle, t0 = [], [], None, False, time.monotonic()
        try:
            while not (status and idle):
                left = timeout - (time.monotonic() - t0)
                if left <= 0:
                    raise Failure(f"no reply from the kernel in {timeout} s; output so far: {''.join(out)!r}")
                ws.settimeout(left)
                try:
                    raw = ws.recv()
                except websocket.WebSocketTimeoutException:
                    continue
                except (websocket.WebSocketException, OSError) as e:
                    raise Failure(f"the kernel's websocket closed ({e}); output so far: {''.join(out)!r}") from None
                if not raw:
                    raise Failure(f"the kernel's websocket closed; output so far: {''.join(out)!r}")
                m = json.loads(raw)
                if m.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                t, c = m["header"]["msg_type"], m["content"]
                if t == "stream":
                    out.append(c["text"])
                elif t in ("display_data", "execute_result"):
                    out.append(c["data"].get("text/plain", "") + c["data"].get("text/html", ""))
                elif t == "error":
                    errors.append(f"{c.get('ename')}: {c.get('evalue')}")
                elif t == "execute_reply":
                    status = c["status"]
                elif t == "status" and c["execution_state"] == "idle":
                    idle = True
        finally:
            ws.close()
        return status, "".join(out), errors, time.monotonic() - t0

    def run_cell(self, kernel, code, expect, timeout=300):
        """Starts kernel, runs code, shuts the kernel down; the output text and the cell's seconds."""
        kid = self.api("POST", "/api/kernels", {"name": kernel})["id"]
        try:
            status, text, errors, took = self.execute(kid, code, timeout)
        finally:
            self.request("DELETE", "/api/kernels/" + kid)
        if status != "ok" or errors:
            raise Failure(f"the cell failed (status {status}): {errors}\noutput: {text}")
        if expect not in text:
            raise Failure(f"the cell's output lacks {expect!r}: {text!r}")
        return text, took

    def open_notebook(self, kernel, path, code, expect, timeout=300):
        """A session for the notebook at path (what JupyterLab does on opening it), one cell run in
        its kernel; the session is deleted. The output text and the cell's seconds."""
        session = self.api("POST", "/api/sessions", {"path": path, "type": "notebook", "name": "",
                                                     "kernel": {"name": kernel}})
        try:
            status, text, errors, took = self.execute(session["kernel"]["id"], code, timeout)
        finally:
            self.request("DELETE", f"/api/sessions/{session['id']}")
        if status != "ok" or errors or expect not in text:
            raise Failure(f"the Go cell failed: status {status}, errors {errors}, output {text!r} (want {expect!r})")
        return text, took

    def page(self, page="/lab"):
        """JupyterLab's page answers 200 with the token (as the URL a user is given carries it) and
        is not served without it. Returns the JupyterLab version the page announces."""
        code, _, _ = self.request("GET", page, auth=False, follow=False)
        if code == 200:
            raise Failure(f"{self.url}{page} answered 200 without the token")
        sep = "&" if "?" in page else "?"
        code, _, raw = self.request("GET", page + sep + "token=" + urllib.parse.quote(self.token), auth=False)
        if code != 200:
            raise Failure(f"{self.url}{page} with the token: HTTP {code}")
        text = raw.decode("utf-8", "replace")
        # JupyterLab's page carries its settings as JSON, with the application's name and version.
        cfg = _page_config(text)
        name, version = cfg.get("appName", ""), cfg.get("appVersion", "")
        if "JupyterLab" not in name or not version:
            raise Failure(f"{self.url}{page} is not JupyterLab's page (appName {name!r}, appVersion {version!r})")
        return version


class Hub:
    """One person's browser in front of a JupyterHub with NativeAuthenticator: a cookie jar, the
    hub's forms (with their _xsrf field), and the REST API with a token once logged in."""

    def __init__(self, url, timeout=120):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  urllib.request.HTTPSHandler(context=_ssl_context()))
        self.name = None
        self.token = None

    def _open(self, method, path, data=None, headers=None):
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=self.timeout) as r:
                return r.status, r.geturl(), r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.geturl(), e.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as e:
            raise Failure(f"{method} {self.url}{path}: {e}") from None

    def _xsrf(self):
        for c in self.jar:
            if c.name == "_xsrf":
                return c.value
        return ""

    def form(self, path, fields):
        """GETs the page (for its _xsrf cookie), then POSTs the form: (status, final URL, body)."""
        self._open("GET", path)
        data = urllib.parse.urlencode(dict(fields, _xsrf=self._xsrf())).encode()
        return self._open("POST", path, data, {"Content-Type": "application/x-www-form-urlencoded"})

    def signup(self, name, password):
        code, _, body = self.form("/hub/signup", {"username": name, "signup_password": password,
                                                  "signup_password_confirmation": password})
        if code != 200 or not ("sent to the admin" in body or "signup was successful" in body):
            raise Failure(f"signing up {name!r}: HTTP {code}: {_alert(body)}")
        return _alert(body)

    def login(self, name, password):
        """Logs in with the login form; fails unless the hub set its login cookie."""
        # next=/hub/home: the hub's default after login is to start the user's server.
        code, url, body = self.form("/hub/login?next=%2Fhub%2Fhome", {"username": name, "password": password})
        if not any(c.name == "jupyterhub-session-id" or c.name.startswith("jupyterhub-hub-login") for c in self.jar) \
                or "/hub/login" in urllib.parse.urlparse(url).path:
            raise Failure(f"logging in {name!r} failed: HTTP {code} at {url}: {_alert(body)}")
        self.name = name
        # A token for the REST API (what a script of the student's would use), made with the cookie.
        code, _, body = self._open("POST", f"/hub/api/users/{name}/tokens",
                                   json.dumps({"note": "dlnb class test", "expires_in": 86400}).encode(),
                                   {"Content-Type": "application/json", "X-XSRFToken": self._xsrf()})
        if code != 201:
            raise Failure(f"{name}: making an API token: HTTP {code}: {body[:300]}")
        self.token = json.loads(body)["token"]

    def authorize(self, name):
        """The instructor approves a signed-up student (NativeAuthenticator's /hub/authorize page)."""
        code, _, body = self._open("GET", "/hub/authorize")
        if code != 200:
            raise Failure(f"the authorize page: HTTP {code}")
        if f'authorize/{name}"' not in body:
            raise Failure(f"{name} is not on the authorize page")
        code, _, _ = self._open("GET", f"/hub/authorize/{name}")
        if code != 200:
            raise Failure(f"authorizing {name}: HTTP {code}")

    def api(self, method, path, body=None, ok=(200, 201, 202, 204)):
        data = None if body is None else json.dumps(body).encode()
        code, _, text = self._open(method, "/hub/api" + path, data,
                                   {"Authorization": "token " + self.token, "Content-Type": "application/json"})
        if code not in ok:
            raise Failure(f"{method} /hub/api{path}: HTTP {code}: {text[:300]}")
        return json.loads(text) if text.strip() else None

    def server_state(self):
        """(ready, pending) of the user's default server."""
        s = self.api("GET", f"/users/{self.name}")["servers"].get("", {})
        return bool(s.get("ready")), s.get("pending")

    def start_server(self, timeout=600):
        """Asks for the server and waits until the hub says it is ready; returns the seconds."""
        t0 = time.monotonic()
        self.api("POST", f"/users/{self.name}/server", ok=(201, 202, 400))
        while time.monotonic() - t0 < timeout:
            ready, pending = self.server_state()
            if ready:
                return time.monotonic() - t0
            time.sleep(0.5)
        raise Failure(f"{self.name}'s server was not ready in {timeout} s")

    def stop_server(self, timeout=120):
        self.api("DELETE", f"/users/{self.name}/server", ok=(202, 204))
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            ready, pending = self.server_state()
            if not ready and not pending:
                return
            time.sleep(0.5)
        raise Failure(f"{self.name}'s server did not stop in {timeout} s")

    def server(self):
        """The user's single-user server through the hub's proxy, authenticated by the token."""
        return Server(f"{self.url}/user/{self.name}", self.token, self.timeout)


def _alert(body):
    """The text of the first alert box of a hub page (where NativeAuthenticator says what happened)."""
    i = body.find('class="alert')
    if i < 0:
        return ""
    j = body.find(">", i) + 1
    k = body.find("</div>", j)
    return " ".join(body[j:k].replace("<br>", " ").split())[:300]


def _page_config(html_text):
    start = html_text.find('id="jupyter-config-data"')
    if start < 0:
        return {}
    start = html_text.find(">", start) + 1
    end = html_text.find("</script>", start)
    try:
        return json.loads(html_text[start:end])
    except ValueError:
        return {}


def main(argv):
    cmd, args = (argv[1], argv[2:]) if len(argv) > 1 else ("", [])
    if cmd == "kernelspec" and len(args) == 2:
        print(Server(*args).go_kernel())
    elif cmd == "run" and len(args) == 5:
        url, token, kernel, code, expect = args
        text, took = Server(url, token).run_cell(kernel, code, expect)
        print(f"jupyter_api: {kernel} answered in {took:.1f} s: {text.strip()[:200]}")
    elif cmd == "lab" and len(args) == 4:
        url, token, kernel, path = args
        s = Server(url, token)
        s.refuses_without_token()
        specs = s.kernelspecs()
        if kernel not in specs:
            raise Failure(f"kernel {kernel!r} not listed: {sorted(specs)}")
        print(f"jupyter_api: kernel {kernel!r} listed ({specs[kernel]['spec']['display_name']})")
        text, took = s.open_notebook(kernel, path, NN_CELL, NN_WANT)
        print(f"jupyter_api: a Go cell ran in a session for {path} in {took:.1f} s: {text.strip()}")
    elif cmd == "page" and len(args) in (2, 3):
        version = Server(args[0], args[1]).page(*args[2:])
        print(f"jupyter_api: {args[0]}{args[2] if len(args) == 3 else '/lab'} is JupyterLab {version}")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Failure as e:
        print(f"jupyter_api: FAIL: {e}", file=sys.stderr)
        sys.exit(1)

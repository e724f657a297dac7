"""JupyterHub for one class on one machine (docker/class/README.md); started by docker/class/start.sh.

- JupyterHub 5.5.4 (docker/class/uv.lock) on the host; configurable-http-proxy runs as a process
  of its own (start.sh), so restarting the hub leaves the proxy and every student's server up.
- Students sign up at /hub/signup with a password (NativeAuthenticator); nobody gets in until the
  instructor approves them at /hub/authorize. The instructor's admin account is created here, at
  start, from a password file start.sh writes (0600), so nobody can sign up under that name first.
- DockerSpawner runs each student's server from the dlnb image on a Docker network of its own,
  with a named volume per student over /home/jovyan and per-student memory and CPU limits.
- Lessons: the image's before-notebook.d hook copies the lessons shipped in the image into
  ~/lessons at every server start, never overwriting a file the student has (see the README).
- jupyterhub-idle-culler stops servers idle for DLNB_CLASS_CULL_TIMEOUT seconds (homes stay).

Every setting comes from the environment start.sh exports (defaults in start.sh).
"""
import os

import bcrypt
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.orm import UserInfo

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)
env = os.environ
state = env["DLNB_CLASS_STATE"]
admin = env.get("DLNB_CLASS_ADMIN", "instructor")


class ClassAuthenticator(NativeAuthenticator):
    """NativeAuthenticator whose instructor account exists (authorized, as admin) before the hub
    serves its first page: the password is read from DLNB_CLASS_ADMIN_PASSWORD_FILE."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        path = env.get("DLNB_CLASS_ADMIN_PASSWORD_FILE")
        if not path or self.user_exists(admin):
            return
        with open(path) as f:
            password = f.read().strip()
        if len(password) < self.minimum_password_length:
            raise ValueError(f"{path}: the instructor's password must have at least "
                             f"{self.minimum_password_length} characters")
        self.db.add(UserInfo(username=self.normalize_username(admin), is_authorized=True,
                             password=bcrypt.hashpw(password.encode(), bcrypt.gensalt())))
        self.db.commit()
        self.log.info("created the instructor account %r", admin)


c.JupyterHub.authenticator_class = ClassAuthenticator
c.Authenticator.admin_users = {admin}
# Signed-up students wait for the instructor's approval (/hub/authorize); NativeAuthenticator
# itself decides who is authorized, so JupyterHub's allow-list lets every authorized user in.
c.Authenticator.allow_all = True
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.minimum_password_length = 8
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 60

# ---- the hub, the proxy (started by start.sh), TLS ----------------------------------------------
c.JupyterHub.hub_ip = env["DLNB_CLASS_HUB_IP"]  # the class network's gateway: containers reach it there
c.JupyterHub.hub_port = int(env.get("DLNB_CLASS_HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.should_start = False
c.ConfigurableHTTPProxy.api_url = env["DLNB_CLASS_PROXY_API_URL"]
c.ConfigurableHTTPProxy.auth_token = env["CONFIGPROXY_AUTH_TOKEN"]
# The public URL (TLS is the proxy's: start.sh passes the certificate to configurable-http-proxy).
c.JupyterHub.bind_url = env["DLNB_CLASS_PUBLIC_URL"]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(state, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
# Students' servers keep running when the hub stops or restarts; the hub finds them again.
c.JupyterHub.cleanup_servers = False
c.JupyterHub.cleanup_proxy = False

# ---- the students' servers ---------------------------------------------------------------------
c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
c.DockerSpawner.image = env.get("DLNB_CLASS_IMAGE", "dlnb:latest")
# start.sh builds or pulls the image once; the hub never pulls behind the instructor's back.
c.DockerSpawner.pull_policy = "never"
c.DockerSpawner.network_name = env.get("DLNB_CLASS_NETWORK", "dlnb-class")
c.DockerSpawner.use_internal_ip = True
# Names: CLASS-USER for the container, CLASS-home-USER for the volume (CLASS: DLNB_CLASS_NAME).
klass = env.get("DLNB_CLASS_NAME", "dlnb-class")
c.DockerSpawner.name_template = klass + "-{username}"
c.DockerSpawner.volumes = {klass + "-home-{username}": "/home/jovyan"}
c.DockerSpawner.remove = True  # the container goes when the server stops; the home volume stays
c.DockerSpawner.extra_create_kwargs = {"labels": {"dlnb-class": klass}}
# How often the hub checks that each server still runs (a crashed one is then shown as stopped).
c.Spawner.poll_interval = int(env.get("DLNB_CLASS_POLL_INTERVAL", "30"))
c.Spawner.mem_limit = env.get("DLNB_CLASS_MEM_LIMIT", "2G")
c.Spawner.cpu_limit = float(env.get("DLNB_CLASS_CPU_LIMIT", "1"))
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = int(env.get("DLNB_CLASS_START_TIMEOUT", "300"))
c.Spawner.http_timeout = int(env.get("DLNB_CLASS_START_TIMEOUT", "300"))
# Thirty students pressing "Start" at 9:00: at most this many spawns at once, the rest wait.
c.JupyterHub.concurrent_spawn_limit = int(env.get("DLNB_CLASS_CONCURRENT_SPAWNS", "30"))

# ---- the idle culler ---------------------------------------------------------------------------
cull = int(env.get("DLNB_CLASS_CULL_TIMEOUT", "3600"))
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [os.path.join(env["DLNB_CLASS_VENV"], "bin", "python"), "-m", "jupyterhub_idle_culler",
                f"--timeout={cull}", f"--cull-every={max(10, min(300, cull // 2))}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]

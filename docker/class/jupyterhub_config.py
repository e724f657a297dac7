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
- nbgrader (grading.py): with DLNB_CLASS_NBGRADER, each server gets its part of the course's
  exchange, and the instructor's the course directory and the formgrader.

Every setting comes from the environment start.sh exports (defaults in start.sh).
"""
import os
import sys

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
home_volume = klass + "-home-{username}"
c.DockerSpawner.volumes = {home_volume: "/home/jovyan"}
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

# ---- a disk quota per student ---------------------------------------------------------------
# With DLNB_CLASS_HOMES (a directory on the host, e.g. on the homes disk), each student's home is a
# filesystem of its own: the sparse file HOMES/CLASS-home-USER.ext4 of DLNB_CLASS_HOME_QUOTA bytes
# (ext4, made at their first start; it takes on disk only what they wrote), loop-mounted at
# HOMES/CLASS-home-USER, and their Docker volume of the same name is a bind of that mount. Its size
# is the quota: a write past it fails with "no space left on device" (a cell, a save in
# JupyterLab), `df -h ~` shows it, and nobody else's home is touched. Why not a quota on one
# filesystem: Debian's Docker 20.10 volumes have no size option, and XFS or ext4 project quotas
# need a kernel built with quota support, which not every host (this project's CI) has; a loop
# mount needs nothing but the loop driver. Without DLNB_CLASS_HOMES the homes are plain Docker
# volumes, without a size limit.
# What runs before each server starts, in order (the home's quota, nbgrader's mounts).
pre_spawn = []
homes = env.get("DLNB_CLASS_HOMES", "")
if homes:
    import asyncio

    home_quota = env.get("DLNB_CLASS_HOME_QUOTA", "2G")

    async def _run(*cmd):
        p = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE,
                                                 stderr=asyncio.subprocess.STDOUT)
        out, _ = await p.communicate()
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: {out.decode(errors='replace').strip()}")

    async def quota_home(spawner):
        """Before a student's server starts: their home filesystem (made once, then mounted if it
        is not), and the Docker volume over it (made once; an existing one must be that bind)."""
        name = spawner.format_volume_name(home_volume, spawner)
        image, path = os.path.join(homes, name + ".ext4"), os.path.join(homes, name)
        if not os.path.exists(image):
            tmp = image + ".tmp"
            await _run("truncate", "-s", home_quota, tmp)
            # -m 0: no blocks reserved for root; the top directory belongs to jovyan:users (1000:100).
            await _run("mkfs.ext4", "-q", "-m", "0", "-E", "root_owner=1000:100", tmp)
            os.replace(tmp, image)
            spawner.log.info("%s: made the home filesystem %s (%s)", spawner.user.name, image, home_quota)
        os.makedirs(path, exist_ok=True)
        if not os.path.ismount(path):
            await _run("mount", "-o", "loop,nosuid,nodev", image, path)
            lost = os.path.join(path, "lost+found")
            if os.path.isdir(lost) and not os.listdir(lost):
                os.rmdir(lost)  # not in the student's file browser (e2fsck makes it again if needed)
        try:
            vol = await spawner.docker("inspect_volume", name)
        except Exception:
            vol = None
        if vol is None:
            await spawner.docker("create_volume", name=name, driver="local",
                                 driver_opts={"type": "none", "o": "bind", "device": path},
                                 labels={"dlnb-class": klass})
        elif (vol.get("Options") or {}).get("device") != path:
            raise RuntimeError(f"the Docker volume {name} exists but is not {path} (made before "
                               f"DLNB_CLASS_HOMES was set?): copy its files into {path}, remove "
                               f"the volume (docker volume rm {name}) and start the server again")

    pre_spawn.append(quota_home)

# ---- nbgrader: the exchange and the formgrader (grading.py) ----------------------------------
nbgrader_dir = env.get("DLNB_CLASS_NBGRADER", "")
if nbgrader_dir:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from grading import grading_mounts

    async def nbgrader_mounts(spawner):
        grading_mounts(spawner, nbgrader_dir)

    pre_spawn.append(nbgrader_mounts)


async def pre_spawn_hook(spawner):
    for hook in pre_spawn:
        await hook(spawner)


c.Spawner.pre_spawn_hook = pre_spawn_hook

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

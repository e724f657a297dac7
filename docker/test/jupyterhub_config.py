"""JupyterHub configuration for the image test (scripts/test-docker.sh).

The hub is JupyterHub 5.5.4 from docker/class's lock (build/venv/class, made by
docker/class/setup.sh). This test is about the image, not the class deployment
(docker/class, tested by scripts/test-class.sh with DockerSpawner), so a small
spawner here does what DockerSpawner does by default: `docker run` of the image
with the image's own
entrypoint and CMD (tini, start.sh, start-notebook.py, which hands over to
start-singleuser.py because JUPYTERHUB_API_TOKEN is set) and the hub's
environment for the single-user server. The container uses the host's network
so that everything stays on 127.0.0.1: the hub API, the proxy, and the
single-user server on the port the hub picked.

Settings come from the environment (the test script sets them):
  DLNB_IMAGE          the image to spawn
  DLNB_HUB_DIR        a scratch directory for the hub's database and secrets
  DLNB_HUB_PORT       the hub's own port (127.0.0.1)
  DLNB_PROXY_PORT     the public port of configurable-http-proxy (127.0.0.1)
  DLNB_PROXY_API_PORT the proxy's API port
  DLNB_HUB_TOKEN      an admin service token the test uses for the REST API
  DLNB_CHP            configurable-http-proxy (docker/class/proxy's npm lock)
  DOCKER              the docker command (default: docker)
"""
import asyncio
import os
import subprocess

from jupyterhub.spawner import Spawner
from jupyterhub.utils import random_port
from traitlets import Unicode

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)
env = os.environ
hub_dir = env["DLNB_HUB_DIR"]


class DockerRunSpawner(Spawner):
    """Starts each user's server as `docker run IMAGE` and stops it with `docker rm -f`."""

    image = Unicode(help="the single-user image").tag(config=True)
    docker = Unicode("docker", help="the docker command").tag(config=True)

    def _name(self):
        return "dlnb-hub-%s" % self.user.name

    async def _docker(self, *args, check=True):
        proc = await asyncio.create_subprocess_exec(
            self.docker, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = await proc.communicate()
        if check and proc.returncode != 0:
            raise RuntimeError("docker %s failed: %s" % (args[0], err.decode().strip()))
        return proc.returncode, out.decode().strip()

    async def start(self):
        self.ip = "127.0.0.1"
        self.port = random_port()
        await self._docker("rm", "-f", self._name(), check=False)
        args = ["run", "-d", "--name", self._name(), "--network", "host",
                "--label", "dlnb-test=hub"]
        spawn_env = self.get_env()
        # Listen on loopback only (docker-stacks: NOTEBOOK_ARGS is appended to the command).
        spawn_env["NOTEBOOK_ARGS"] = "--ip=127.0.0.1"
        for k, v in sorted(spawn_env.items()):
            args += ["-e", "%s=%s" % (k, v)]
        args.append(self.image)  # the image's own ENTRYPOINT and CMD, as DockerSpawner does
        args += self.get_args()
        _, cid = await self._docker(*args)
        self.log.info("started container %s for %s on port %d", cid[:12], self.user.name, self.port)
        return (self.ip, self.port)

    async def poll(self):
        rc, out = await self._docker("inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}",
                                     self._name(), check=False)
        if rc != 0:
            return 0  # no such container: stopped
        running, code = out.split()
        return None if running == "true" else int(code)

    async def stop(self, now=False):
        await self._docker("rm", "-f", self._name(), check=False)


c.JupyterHub.spawner_class = DockerRunSpawner
c.DockerRunSpawner.image = env["DLNB_IMAGE"]
c.DockerRunSpawner.docker = env.get("DOCKER", "docker")
# Never pass the hub's PATH (or anything else of the host) into the container.
c.Spawner.env_keep = []
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

c.JupyterHub.bind_url = "http://127.0.0.1:%s" % env["DLNB_PROXY_PORT"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["DLNB_HUB_PORT"])
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%s" % env["DLNB_PROXY_API_PORT"]
c.ConfigurableHTTPProxy.command = [env.get("DLNB_CHP", "configurable-http-proxy")]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(hub_dir, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(hub_dir, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(hub_dir, "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = os.path.join(hub_dir, "proxy.pid")
c.JupyterHub.cleanup_servers = True

# Users are created through the API by the test; the admin service drives it.
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {"alice"}
c.JupyterHub.services = [{"name": "dlnb-test", "api_token": env["DLNB_HUB_TOKEN"]}]
c.JupyterHub.load_roles = [{
    "name": "dlnb-test",
    "scopes": ["admin:users", "admin:servers", "access:servers"],
    "services": ["dlnb-test"],
}]

#!/usr/bin/env python3
"""Starts the Jupyter server (docker-stacks contract).

Under JupyterHub (JUPYTERHUB_API_TOKEN set) it hands over to
start-singleuser.py. Otherwise it runs `jupyter $DOCKER_STACKS_JUPYTER_CMD`
(lab by default) with NOTEBOOK_ARGS and its own arguments appended.
"""
import os
import shlex
import sys

if "JUPYTERHUB_API_TOKEN" in os.environ:
    print("Under JupyterHub: using start-singleuser.py")
    cmd = ["/usr/local/bin/start-singleuser.py"] + sys.argv[1:]
    os.execvp(cmd[0], cmd)

cmd = ["jupyter", os.environ.get("DOCKER_STACKS_JUPYTER_CMD", "lab")]
cmd += shlex.split(os.environ.get("NOTEBOOK_ARGS", ""))
cmd += sys.argv[1:]
print("Executing: " + " ".join(cmd))
sys.stdout.flush()
os.execvp(cmd[0], cmd)

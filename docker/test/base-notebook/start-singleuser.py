#!/usr/bin/env python3
"""Starts a JupyterHub single-user server (docker-stacks contract): runs
jupyterhub-singleuser on all interfaces unless NOTEBOOK_ARGS sets --ip, with
NOTEBOOK_ARGS and its own arguments appended (the hub passes --port etc.)."""
import os
import shlex
import sys

cmd = ["jupyterhub-singleuser"]
if "--ip=" not in os.environ.get("NOTEBOOK_ARGS", ""):
    cmd.append("--ip=0.0.0.0")
cmd += shlex.split(os.environ.get("NOTEBOOK_ARGS", ""))
cmd += sys.argv[1:]
print("Executing: " + " ".join(cmd))
sys.stdout.flush()
os.execvp(cmd[0], cmd)

# The instructor's nbgrader settings (the hub puts this directory first in the instructor's
# JUPYTER_CONFIG_PATH: docker/class/jupyterhub_config.py). The course directory is the one the hub
# mounts at ~/course; its own nbgrader_config.py (the Go settings) is loaded here too, so the
# formgrader, which runs in the server's root (~), uses them as `nbgrader` in ~/course does.
import os

c = get_config()  # noqa: F821 (traitlets defines it)
c.CourseDirectory.root = "/home/jovyan/course"
if os.path.isfile("/home/jovyan/course/nbgrader_config.py"):
    load_subconfig("/home/jovyan/course/nbgrader_config.py")  # noqa: F821 (traitlets defines it)
# Every server runs as the same user, so a submission's owner says nothing: nbgrader's check
# would warn about every one. The hub's per-student inbound directory is what says whose it is
# (/opt/dlnb/lib/nbgrader/dlnb_exchange.py).
c.ExchangeCollect.check_owner = False

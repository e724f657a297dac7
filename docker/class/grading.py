"""nbgrader on the class hub (docker/class/README.md, "Assignments"): jupyterhub_config.py runs
grading_mounts(spawner, DLNB_CLASS_NBGRADER) before each server starts.

The image has nbgrader 0.9.6 (docker/image/nbgrader): every server gets its student parts (the
Assignments list: fetch, submit, fetch feedback; Validate). Before each server starts, this hook
gives it its part of the course, from DLNB_CLASS_NBGRADER on the host (start.sh's default:
STATE/nbgrader):

    on the host                      the instructor (admin) sees     a student sees
    course/                          ~/course (read-write)           -
    exchange/dlnb/outbound/          /srv/nbgrader/exchange/dlnb/... /srv/nbgrader/exchange/dlnb/outbound (read-only)
    exchange/dlnb/inbound/STUDENT/   .../inbound/STUDENT/            /srv/nbgrader/exchange/dlnb/inbound (their own)
    exchange/dlnb/feedback/STUDENT/  .../feedback/STUDENT/           /srv/nbgrader/exchange/dlnb/feedback (their own, read-only)

and the instructor's server the formgrader (JUPYTER_CONFIG_PATH: the image's instructor config,
which also points nbgrader at ~/course). Why mounts: every server runs as the same user (UID 1000),
so the permissions nbgrader's exchange relies on (a shared inbound students can write but not
list) protect nothing; a student's container has no path to anyone else's submission or feedback,
nor to the course directory (the solutions, the gradebook). The instructor's side has a directory
per student, which the image's exchange classes read (/opt/dlnb/lib/nbgrader/dlnb_exchange.py).

The course directory is seeded once from this checkout's notebooks/exercises/nbgrader
(nbgrader_config.py and source/: the four Go assignments); files already there are never
overwritten (regenerate them with `go run ./exercises/mkexercises` and copy them yourself).
"""
import os
import re
import shutil

COURSE_ID = "dlnb"  # the image's /etc/jupyter/nbgrader_config.py says the same
EXCHANGE = "/srv/nbgrader/exchange/" + COURSE_ID  # where nbgrader looks, in the image's config
INSTRUCTOR_CONFIG = "/opt/dlnb/share/nbgrader/instructor"  # the image's (docker/image/nbgrader)
UID, GID = 1000, 100  # the image's notebook user (jovyan:users)
seed = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "notebooks", "exercises", "nbgrader")
# A student id must be a directory name and nbgrader's: no "/", and no "+" (nbgrader's separator).
student_name = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")


def owned_dir(path, mode=0o755):
    """path, made if missing, owned by the notebook user."""
    os.makedirs(path, exist_ok=True)
    os.chown(path, UID, GID)
    os.chmod(path, mode)
    return path


def seed_course(course):
    """Copies the course's files from the checkout into course/, leaving every existing file."""
    if not os.path.isdir(seed):
        return
    for top, dirs, files in os.walk(seed):
        dest = owned_dir(os.path.join(course, os.path.relpath(top, seed)))
        for f in files:
            target = os.path.join(dest, f)
            if not os.path.exists(target):
                shutil.copyfile(os.path.join(top, f), target + ".tmp")
                os.chown(target + ".tmp", UID, GID)
                os.replace(target + ".tmp", target)


def grading_mounts(spawner, nbgrader_dir):
    """Adds to spawner its nbgrader mounts from the host directory nbgrader_dir (and, for an
    admin, the course directory and the formgrader)."""
    name = spawner.user.name
    exchange = os.path.join(nbgrader_dir, "exchange", COURSE_ID)
    for d in ("exchange", os.path.join("exchange", COURSE_ID)):
        owned_dir(os.path.join(nbgrader_dir, d))
    outbound, inbound, feedback = (owned_dir(os.path.join(exchange, d)) for d in ("outbound", "inbound", "feedback"))
    # From the spawner's own settings each time: a user's spawner object lives on between starts,
    # and what this hook added last time (say, before the user became an admin) must not stay.
    if not hasattr(spawner, "_dlnb_settings"):
        spawner._dlnb_settings = dict(spawner.volumes), dict(spawner.environment)
    volumes, environment = (dict(d) for d in spawner._dlnb_settings)
    if spawner.user.admin:
        course = owned_dir(os.path.join(nbgrader_dir, "course"))
        seed_course(course)
        volumes[course] = "/home/jovyan/course"
        volumes[exchange] = EXCHANGE
        environment["JUPYTER_CONFIG_PATH"] = INSTRUCTOR_CONFIG
        spawner.log.info("%s: the instructor's server, with the formgrader, ~/course (%s) and the exchange",
                         name, course)
    elif student_name.fullmatch(name):
        volumes[outbound] = {"bind": EXCHANGE + "/outbound", "mode": "ro"}
        volumes[owned_dir(os.path.join(inbound, name))] = EXCHANGE + "/inbound"
        volumes[owned_dir(os.path.join(feedback, name))] = {"bind": EXCHANGE + "/feedback", "mode": "ro"}
    else:
        spawner.log.warning("%s: no nbgrader exchange for this server: the name is not a valid nbgrader "
                            "student id (letters, digits, '.', '_', '@', '-')", name)
    spawner.volumes, spawner.environment = volumes, environment


# nbgrader's system-wide settings in the dlnb image (/etc/jupyter/nbgrader_config.py; install.sh).
# Students and the instructor share them; the course's own settings (the Go solution delimiters,
# the code stub, the timeout) are in the course directory's nbgrader_config.py, which the
# instructor's config (/opt/dlnb/share/nbgrader/instructor/nbgrader_config.py) loads.
import sys

c = get_config()  # noqa: F821 (traitlets defines it)

# The course: one per hub (docker/class), with the exchange the hub mounts for each server.
c.CourseDirectory.course_id = "dlnb"
c.Exchange.root = "/srv/nbgrader/exchange"

# Every server runs as the same user (UID 1000) in a container of its own, so file permissions
# cannot keep one student's submission from another: the hub's mounts do (each student sees only
# their own inbound and feedback directories), and the instructor collects with these classes,
# which read the per-student layout (dlnb_exchange.py says how and why).
sys.path.insert(0, "/opt/dlnb/lib/nbgrader")
c.ExchangeFactory.collect = "dlnb_exchange.ExchangeCollect"
c.ExchangeFactory.release_feedback = "dlnb_exchange.ExchangeReleaseFeedback"

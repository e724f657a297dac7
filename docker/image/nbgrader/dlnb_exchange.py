"""nbgrader's exchange for a hub whose servers all run as the same user (the dlnb image, UID 1000).

nbgrader's own exchange keeps students apart with file permissions: everyone writes submissions
into one `inbound` directory they cannot list, and reads feedback from one `feedback` directory
by a name only they know. With every student's server running as UID 1000 (docker-stacks, and
DockerSpawner's containers) those permissions protect nothing, so the class hub
(docker/class/jupyterhub_config.py) gives each student a directory of their own instead and
mounts it where nbgrader looks:

    on the host (DLNB_CLASS_NBGRADER)      a student's server             the instructor's server
    exchange/dlnb/outbound/                .../dlnb/outbound, read-only   .../dlnb/outbound
    exchange/dlnb/inbound/STUDENT/         .../dlnb/inbound               .../dlnb/inbound/STUDENT/
    exchange/dlnb/feedback/STUDENT/        .../dlnb/feedback, read-only   .../dlnb/feedback/STUDENT/

(`...` is /srv/nbgrader/exchange.) A student's server is then nbgrader's usual layout, and
nbgrader's own classes fetch, submit, list and fetch feedback unchanged; a student sees no one
else's submission or feedback. The instructor's side has one directory per student, which the two
classes below read and write: nbgrader's, with that one difference.

A submission's student is the directory it is in, which the hub chose, never the name in the
submission (which a student can set: JUPYTERHUB_USER is theirs to change in a terminal); one whose
name claims someone else is skipped with a warning.
"""
import glob
import os
import re

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default import collect, release_feedback
from nbgrader.utils import check_mode


def _student_dirs(path, student_id):
    """The per-student directories under path: all of them, or student_id's (nbgrader's
    --student; its default, "*", is everyone)."""
    if student_id and student_id != "*":
        d = os.path.join(path, student_id)
        return [d] if os.path.isdir(d) else []
    return sorted(d for d in glob.glob(os.path.join(path, "*")) if os.path.isdir(d) and "+" not in os.path.basename(d))


class ExchangeCollect(collect.ExchangeCollect):
    """`nbgrader collect` from inbound/STUDENT/STUDENT+ASSIGNMENT+TIMESTAMP[+RANDOM]."""

    def _path_to_record(self, path):
        rec = super()._path_to_record(path)
        rec["filename"] = os.path.relpath(path, self.inbound_path)  # STUDENT/STUDENT+...: copy_files joins it
        return rec

    def init_src(self):
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail("Course not found: {}".format(self.inbound_path))
        if not check_mode(self.inbound_path, read=True, execute=True):
            self.fail("You don't have read permissions for the directory: {}".format(self.inbound_path))
        paths = []
        for d in _student_dirs(self.inbound_path, self.coursedir.student_id):
            student = os.path.basename(d)
            for p in sorted(glob.glob(os.path.join(d, "*+{}+*".format(self.coursedir.assignment_id)))):
                claimed = os.path.basename(p).rsplit("+", 3)[0]
                if claimed != student:
                    self.log.warning("Skipping %s: it is in %s's inbound directory but claims to be %s's", p, student, claimed)
                    continue
                paths.append(p)
        # Then nbgrader's own choice: each student's latest submission, or with
        # CollectApp.before_duedate their latest before the assignment's due date.
        records = [self._path_to_record(p) for p in paths]
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        self.src_records = []
        for recs in collect.groupby(records, lambda r: r["username"]).values():
            recs = self._sort_by_timestamp(recs)
            if self.duedate is not None and self.before_duedate:
                recs = [r for r in recs if r["timestamp"] <= self.duedate] or recs
            self.src_records.append(recs[0])


class ExchangeReleaseFeedback(release_feedback.ExchangeReleaseFeedback):
    """`nbgrader release_feedback` into feedback/STUDENT/, the directory only that student sees."""

    def copy_files(self):
        pattern = re.escape(os.path.sep).join([
            self.coursedir.format_path(self.coursedir.feedback_directory, "(?P<student_id>[^/]*)",
                                       self.coursedir.assignment_id, escape=True), ".*"])
        base_src, base_dest = self.src_path, self.dest_path
        students = set()
        for html_file in glob.glob(os.path.join(base_src, "*.html")):
            m = re.match(pattern, html_file)
            if m:
                students.add(m.group("student_id"))
        try:
            for student in sorted(students):
                self.src_path = self.coursedir.format_path(self.coursedir.feedback_directory, student,
                                                           self.coursedir.assignment_id)
                self.dest_path = os.path.join(base_dest, student)
                if not os.path.isdir(self.dest_path):
                    self.fail("No feedback directory for {} in the exchange ({}): has the hub started their "
                              "server since the exchange was set up?".format(student, self.dest_path))
                super().copy_files()
        finally:
            self.src_path, self.dest_path = base_src, base_dest

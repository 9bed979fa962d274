"""Writes how long each task of a playbook took, slowest first, to the file named by E2E_TASK_TIMES
(its %d is the playbook's number on the command line: the e2e applies site.yml twice in one run):
under TCG every module start costs, and this shows where a role run spends it. With E2E_PHASES set,
each playbook after the first also starts a phase there ("SECONDS-SINCE-BOOT role run N", as
guest/run-checks.sh writes them). Enabled by src/e2e/guest/ansible.cfg for the e2e guest only."""
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
    name: task_timer
    type: aggregate
    short_description: seconds per task, for the e2e guest
    description: Writes each task's wall time, slowest first, to the file named by E2E_TASK_TIMES.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._playbook = 0
        self._started = time.monotonic()
        self._current = None
        self._times = []

    def _close(self):
        if self._current:
            name, started = self._current
            self._times.append((time.monotonic() - started, name))
            self._current = None

    def v2_playbook_on_start(self, playbook):
        self._playbook += 1
        self._started = time.monotonic()
        self._current = None
        self._times = []
        phases = os.environ.get("E2E_PHASES")
        if phases and self._playbook > 1:
            with open("/proc/uptime", encoding="utf-8") as f:
                uptime = f.read().split()[0]
            with open(phases, "a", encoding="utf-8") as f:
                f.write(f"{uptime} role run {self._playbook}\n")

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self._current = (task.get_name(), time.monotonic())

    def v2_playbook_on_handler_task_start(self, task):
        self._close()
        self._current = ("handler: " + task.get_name(), time.monotonic())

    def v2_playbook_on_stats(self, stats):
        """Called once per playbook."""
        self._close()
        path = os.environ.get("E2E_TASK_TIMES")
        if not path:
            return
        total = time.monotonic() - self._started
        with open(path.replace("%d", str(self._playbook)), "w", encoding="utf-8") as f:
            f.write(f"{total:6.1f} s  the whole run after the playbook was loaded\n")
            for seconds, name in sorted(self._times, reverse=True):
                f.write(f"{seconds:6.1f} s  {name}\n")

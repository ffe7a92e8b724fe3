"""The job threads start with every table mapped (a race with the app's imports once broke `make run`)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_starting_the_jobs_maps_every_table_before_any_thread_runs() -> None:
    probe = textwrap.dedent(
        """
        import sys
        from outrider.jobs import JobRunner
        JobRunner(60.0)  # not started: no thread, no database
        from outrider.db import Base
        mappers = list(Base.registry.mappers)
        names = {m.class_.__name__ for m in mappers}
        assert "outrider.committee.models" in sys.modules and "outrider.sharing.models" in sys.modules
        assert {"Committee", "Member", "Commitment"} <= names, names
        assert all(m.configured for m in mappers), [m for m in mappers if not m.configured]
        print(len(mappers))
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) > 40

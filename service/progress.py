"""Progress of a batch job: a tqdm bar on a terminal, periodic plain log lines otherwise."""

import sys
import time

from tqdm import tqdm


class Progress:
    """Count processed rows and report the rate and the time left."""

    def __init__(self, total, done=0, stream=None, interval=30.0):
        self.stream = stream or sys.stderr
        self.total, self.done, self.interval = total, done, interval
        self.start = self.last_log = time.monotonic()
        self.started_at = done
        self.bar = None
        if self.stream.isatty():
            self.bar = tqdm(total=total, initial=done, unit="rows", desc="scoring", file=self.stream, dynamic_ncols=True)

    def update(self, rows):
        self.done += rows
        if self.bar is not None:
            self.bar.update(rows)
            return
        now = time.monotonic()
        if now - self.last_log >= self.interval:
            self.last_log = now
            print(self.line(now), file=self.stream, flush=True)

    def line(self, now):
        """One log line: rows done, rows/s since this run started, and the estimated time left."""
        rate = (self.done - self.started_at) / max(now - self.start, 1e-9)
        left = f", ETA {max(self.total - self.done, 0) / rate:.0f}s" if self.total and rate > 0 else ""
        of = f"/{self.total}" if self.total else ""
        return f"scored {self.done}{of} rows ({rate:.1f} rows/s{left})"

    def close(self):
        if self.bar is not None:
            self.bar.close()

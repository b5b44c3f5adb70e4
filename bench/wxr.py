"""WordPress import throughput and peak memory on a generated export.

`measure_import()` (called by bench/run.py) generates the file with
bench/synthetic.py, then runs `manage.py import_wxr` on a fresh SQLite database in a
child process of its own, whose peak resident memory os.wait4 reports.
`python -m bench.wxr generate PATH POSTS COMMENTS_PER_POST` and `... count` are the
Django-side helpers it runs.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_python(args, env, timeout=900):
    """Run our interpreter in the project with `env`; its stdout, or an error with stderr."""
    finished = subprocess.run(  # noqa: S603 - our interpreter and module
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if finished.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{finished.stderr[-4000:]}")
    return finished.stdout


def run_manage_measured(args, env: dict, log: Path) -> tuple[float, float]:
    """`manage.py *args` in a child process, its output into `log`; its seconds and its
    peak RSS in MB. wait4 reports this child's own peak (ru_maxrss, in KiB on Linux),
    which RUSAGE_CHILDREN would mix with every other child the bench has run."""
    with open(log, "wb") as output:
        started = time.perf_counter()
        child = subprocess.Popen(  # noqa: S603 - our interpreter, manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:
            child.kill()
            child.wait()
            raise
        seconds = time.perf_counter() - started
    returncode = os.waitstatus_to_exitcode(status)
    if returncode:
        raise RuntimeError(
            f"manage.py {args[0]} exited with {returncode}; see {log}:\n{log.read_text()[-2000:]}"
        )
    return seconds, round(usage.ru_maxrss / 1024, 1)


def measure_import(env: dict, scratch: Path, *, comments: int, comments_per_post: int = 100):
    """Import a generated export of `comments` comments; throughput and peak RSS."""
    env = {**env, "DATABASE_URL": f"sqlite:///{scratch / 'bench-wxr.sqlite3'}"}
    export = scratch / "synthetic-export.xml"
    posts = max(1, comments // comments_per_post)
    run_python(
        ["-m", "bench.wxr", "generate", str(export), str(posts), str(comments_per_post)], env
    )
    run_python(["manage.py", "migrate", "--noinput"], env)

    log = scratch / "import_wxr.log"
    seconds, peak_mb = run_manage_measured(["import_wxr", str(export)], env, log)
    stored = json.loads(run_python(["-m", "bench.wxr", "count"], env))
    return {
        "backend": "sqlite",
        "file_mb": round(export.stat().st_size / 2**20, 1),
        "comments_in_file": posts * comments_per_post,
        "comments": stored["comments"],
        "articles": stored["articles"],
        "seconds": round(seconds, 2),
        "comments_per_s": round(stored["comments"] / seconds, 1),
        "peak_mb": peak_mb,
        "output": log.read_text()[-2000:],
    }


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    command, *args = sys.argv[1:]
    if command == "generate":
        from bench.synthetic import write_synthetic_wxr

        path, posts, per_post = args
        write_synthetic_wxr(path, posts=int(posts), comments_per_post=int(per_post))
    elif command == "count":
        from articles.models import Article
        from comments.models import Comment

        counts = {"comments": Comment.objects.count(), "articles": Article.objects.count()}
        print(json.dumps(counts))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()

"""Gunicorn under test, and nginx in front of it as `make serve` runs them: each started on a
free loopback port, and always stopped (gunicorn with its workers); with --app-servers,
several gunicorns behind nginx's upstream."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 30  # seconds for gunicorn to boot its workers and answer
STOP_TIMEOUT = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        return connection.getresponse().status < 500
    except OSError:
        return False
    finally:
        connection.close()


def worker_pids(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except FileNotFoundError:
        return []


def resident_mb(pid: int) -> float | None:
    """VmRSS of a process in MB (MiB), or None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        return None
    return None


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _wait_until_answering(name, process, port, path, log_path) -> float:
    """Wait until the server answers `path`; the deadline it had (for what else to wait)."""
    deadline = time.monotonic() + READY_TIMEOUT
    while not _answers(port, path):
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{_tail(log_path)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not answer in {READY_TIMEOUT} s:\n{_tail(log_path)}")
        time.sleep(0.2)
    return deadline


class Server:
    def __init__(self, process: subprocess.Popen, port: int, workers: int):
        self.process = process
        self.port = port
        self.workers = workers

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    @property
    def url(self):
        return f"http://{self.address}"

    def workers_resident_mb(self) -> list[float]:
        sizes = (resident_mb(pid) for pid in worker_pids(self.process.pid))
        return [round(size, 1) for size in sizes if size is not None]


def gunicorn_command(port: int, workers: int) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    config = ROOT / "gunicorn.conf.py"
    if config.exists():
        command += ["--config", str(config)]
    # The worker count; stated explicitly so that the figure does not depend on
    # what the configuration file defaults to. No control socket: its default path is one
    # per user, shared with any other gunicorn running on the machine.
    command += ["--workers", str(workers), "--no-control-socket", "newsroom.wsgi:application"]
    return command


def default_workers() -> int:
    return (os.cpu_count() or 1) * 2 + 1


@contextmanager
def running_gunicorn(env: dict, log_path: Path, ready_path: str = "/", workers: int = 0):
    """Start gunicorn with `env` (and `workers`, default two a core and one more), wait
    until it answers, and always stop it afterwards.

    Gunicorn runs in its own process group, so that the whole group (master and workers)
    is signalled even if the master is wedged.
    """
    workers = workers or default_workers()
    port = free_port()
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            gunicorn_command(port, workers),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = _wait_until_answering("gunicorn", process, port, ready_path, log_path)
        while len(worker_pids(process.pid)) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        yield Server(process, port, workers)
    finally:
        stop(process)


@contextmanager
def running_gunicorns(env: dict, log_dir: Path, count: int, ready_path: str = "/"):
    """`count` gunicorns with `env`, each on a port of its own, standing for as many app
    servers; the list of them (each `.address` for nginx's upstream), all stopped
    afterwards. They share the workers one gunicorn would have (rounded up), so that the
    figures compare with one server's on the same cores.
    """
    workers = -(-default_workers() // count)
    with ExitStack() as stack:
        yield [
            stack.enter_context(
                running_gunicorn(env, log_dir / f"gunicorn-{number}.log", ready_path, workers)
            )
            for number in range(count)
        ]


@contextmanager
def running_nginx(upstreams: list[str], env: dict, run_dir: Path, log_path: Path):
    """nginx (scripts/nginx.sh, deploy/nginx.conf, as `make serve` runs it: the edge cache
    and the static files) on a free loopback port, balancing over `upstreams`; its base
    URL. STATIC_ROOT and MEDIA_ROOT come from `env`."""
    port = free_port()
    nginx_env = {
        **env,
        "NGINX_RUN_DIR": str(run_dir),
        "NGINX_LISTEN": f"127.0.0.1:{port}",
        "NGINX_UPSTREAM": " ".join(upstreams),
    }
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own script
            [str(ROOT / "scripts" / "nginx.sh"), "run"],
            cwd=ROOT,
            env=nginx_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_answering("nginx", process, port, "/healthz", log_path)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def stop(process: subprocess.Popen):
    """SIGTERM (finish the request in hand) to the group, then SIGKILL whatever is left."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=STOP_TIMEOUT)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=STOP_TIMEOUT)


def py_spy_binary() -> str | None:
    beside_python = Path(sys.executable).with_name("py-spy")
    return str(beside_python) if beside_python.exists() else shutil.which("py-spy")


@contextmanager
def flame_graph(pid: int, seconds: int, out: Path):
    """Record a flame graph (SVG) of one process with py-spy while the body runs."""
    out.parent.mkdir(parents=True, exist_ok=True)
    recorder = subprocess.Popen(  # noqa: S603 - py-spy beside our interpreter or on PATH
        [
            py_spy_binary(),
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(seconds),
            "--nonblocking",
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        try:
            recorder.wait(timeout=seconds + 30)
        except subprocess.TimeoutExpired:
            recorder.kill()
            recorder.wait()

"""`python -m generator ARGS` and `python -m mkdocs ARGS` without paying their imports for every call.

A test run starts about a hundred child `handbook` and `mkdocs` processes, and each spends a second of CPU
importing MkDocs, Material, Markdown, WeasyPrint, python-docx… before doing anything. Here one server
process per test process (per xdist worker) imports them once, never builds anything, and forks one child
per call. The child is made to look like a fresh `python -m MODULE ARGS` to the test:

- its own working folder, `sys.path[0]` and environment (exactly the one asked for, HANDBOOK_CACHE_DIR
  included; a call that changes what the interpreter reads as it starts, PYTHONPATH, PYTHONHASHSEED or the
  locale, gets a real new process), a fresh temporary-folder setting, stdin from /dev/null (or the text
  given), stdout and stderr into files read back as text;
- the module runs as `__main__` (runpy), so its exit code is the real `main`'s (SystemExit); an uncaught
  exception prints its traceback and exits 1, and the `atexit` functions run, as in a new interpreter;
- no state from earlier calls: every child is forked from the server, which has run nothing; the test
  process itself (which runs builds in-process) is never forked.

What a fork cannot give: a hash seed of its own (all children share the server's, which is random per test
run), so tests that compare the bytes of two runs for reproducibility run one of them as a real process
(`fresh=True`), and tests of the entry points, signals or concurrent runs use real processes.

`run_logged` forks a command the way the benchmarks run theirs (`python -m MODULE ARGS` or `python -c CODE ARGS`,
stdout and stderr into one log file) and reports its exit status, peak memory and CPU seconds as os.wait4 does:
the benchmarks' smoke test measures its rows with it (tests/benchmarks/test_smoke.py).

A second, light server (`light=True`) has imported only what `python -m generator` imports as it starts (the
CLI and what it needs to read and check YAML), nothing of MkDocs, WeasyPrint or the rest: its children have the
address space and resident memory of a real `handbook validate` at the same point, so a child may run under an
address-space limit (`memory_limit`) and report its own peak memory (`run_measured`), as a real one would.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import pkgutil
import select
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What a build, a publish or an export imports (the generator's own modules are all imported besides).
PRELOAD = (
    "mkdocs.commands.build", "mkdocs.commands.serve", "mkdocs.commands.gh_deploy", "click",
    "mkdocs.structure.files", "mkdocs.structure.pages",
    "mkdocs.contrib.search", "mkdocs.themes", "material", "material.plugins.search.plugin",
    "markdown", "markdown.extensions.attr_list", "markdown.extensions.md_in_html", "markdown.extensions.admonition",
    "markdown.extensions.tables", "markdown.extensions.toc", "pymdownx", "jieba", "weasyprint", "docx", "openpyxl",
    "icalendar", "pypinyin", "fontTools.subset", "PIL.Image", "segno", "nh3", "opencc", "pyphen", "babel.dates",
    "pygments", "dateutil.parser", "concurrent.futures.process", "multiprocessing.pool", "http.server",
    "runpy",
)


# ---------------------------------------------------------------------------------------------------- server

def _preload(light: bool) -> None:
    import generator

    if light:  # what `python -m generator` imports before it runs a command
        importlib.import_module("generator.cli")
        importlib.import_module("runpy")
        return
    for module in pkgutil.walk_packages(generator.__path__, "generator."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # an optional extra not installed: the child imports what it needs itself
    from generator.render import search

    search.tokenizer("")  # jieba's main dictionary, loaded once here as a previewing process keeps it


_replaced: list = []


def _child(request: dict) -> None:
    """In the forked child: become `python -m MODULE ARGS` in the requested place, run, and exit."""
    import runpy

    os.setpgid(0, 0)  # its own process group: a timeout ends it and the processes it started
    if request.get("memory_limit"):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (request["memory_limit"], request["memory_limit"]))
    stdin = os.open(request["stdin"] or os.devnull, os.O_RDONLY)
    stdout = os.open(request["stdout"], os.O_WRONLY | os.O_TRUNC)
    stderr = os.open(request["stderr"], os.O_WRONLY | os.O_TRUNC) if request["stderr"] else os.dup(stdout)
    for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
        os.dup2(fd, target)
        os.close(fd)
    os.closerange(3, 1024)
    _replaced.extend((sys.stdin, sys.stdout, sys.stderr))  # kept open: closing them would close fds 0-2
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else
                      signal.SIG_IGN if signum == signal.SIGPIPE else signal.SIG_DFL)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    tempfile.tempdir = None
    encoding = os.environ.get("PYTHONIOENCODING", "utf-8").split(":")[0] or "utf-8"
    sys.stdin = open(0, encoding=encoding, closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding=encoding, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding=encoding, errors="backslashreplace", closefd=False)  # noqa: SIM115
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr
    code: object = 0
    try:
        if request.get("code") is not None:  # `python -c CODE ARGS`
            sys.path[0] = ""
            sys.argv = ["-c", *request["args"]]
            main = sys.modules["__main__"] = type(sys)("__main__")
            exec(compile(request["code"], "<string>", "exec"), main.__dict__)  # noqa: S102 - what `python -c` does
        else:
            sys.path[0] = os.getcwd()  # as `python -m` has it
            sys.argv = [request["module"], *request["args"]]
            runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
    except SystemExit as end:
        code = end.code
    except BaseException:  # noqa: BLE001 - what the interpreter does with an uncaught exception
        import traceback

        traceback.print_exc()
        code = 1
    try:
        atexit._run_exitfuncs()
    finally:
        status = _exit_status(code)
        for stream in (sys.stdout, sys.stderr, *_replaced[1:]):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(status)


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def serve(light: bool = False) -> None:
    """Read one request per line on stdin; answer its child's pid, then its exit status, peak memory (KiB) and
    CPU seconds (the child's with the children it waited for, as os.wait4 reports them)."""
    sys.path.remove(str(ROOT))  # the children see the sys.path of `python -m` in their folder
    _preload(light)
    assert threading.active_count() == 1, "a preloaded module started a thread: forking would be unsafe"
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    for line in requests:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                _child(request)
            finally:
                os._exit(70)
        answers.write(json.dumps({"pid": pid}).encode() + b"\n")
        answers.flush()
        _, status, usage = os.wait4(pid, 0)
        answers.write(json.dumps({"status": os.waitstatus_to_exitcode(status), "maxrss": usage.ru_maxrss,
                                  "utime": usage.ru_utime, "stime": usage.ru_stime}).encode() + b"\n")
        answers.flush()


# ---------------------------------------------------------------------------------------------------- client

class _Server:
    def __init__(self, light: bool) -> None:
        start = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from tests.forkserver import serve; "
                 f"serve(light={light})")
        self.process = subprocess.Popen([sys.executable, "-c", start], cwd=ROOT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, bufsize=0)  # unbuffered: select() sees every line

    def answer(self, timeout: float | None) -> dict | None:
        assert self.process.stdout is not None
        if timeout is not None and not select.select([self.process.stdout], [], [], timeout)[0]:
            return None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the fork server ended (exit {self.process.wait()})")
        return json.loads(line)

    def call(self, request: dict, timeout: float) -> tuple[dict, bool]:
        """Send one request; its child's end (exit status, memory, CPU) and whether it was killed at timeout."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        self.process.stdin.flush()
        pid = self.answer(None)["pid"]  # type: ignore[index]
        end = self.answer(timeout)
        timed_out = end is None
        if timed_out:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            end = self.answer(None)
        assert end is not None
        return end, timed_out

    def run(self, module: str, args: list[str], cwd: Path, env: dict[str, str], stdin: str | None,
            timeout: float, memory_limit: int | None = None) -> tuple[subprocess.CompletedProcess, int]:
        with tempfile.TemporaryDirectory(prefix="forkserver-") as folder:
            paths = {name: os.path.join(folder, name) for name in ("stdin", "stdout", "stderr")}
            for name, path in paths.items():
                with open(path, "w", encoding="utf-8") as file:
                    file.write((stdin or "") if name == "stdin" else "")
            request = {"module": module, "args": list(args), "cwd": str(cwd), "env": env,
                       "stdin": paths["stdin"] if stdin is not None else None,
                       "stdout": paths["stdout"], "stderr": paths["stderr"], "memory_limit": memory_limit}
            end, timed_out = self.call(request, timeout)
            out, err = (_read(paths[name]) for name in ("stdout", "stderr"))
        argv = [sys.executable, "-m", module, *args]
        if timed_out:
            raise subprocess.TimeoutExpired(argv, timeout, out, err)
        return subprocess.CompletedProcess(argv, end["status"], out, err), end["maxrss"]

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _read(path: str) -> str:
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks).decode("utf-8", errors="backslashreplace")


_servers: dict[bool, _Server] = {}  # light or not -> its server
_lock = threading.Lock()


def run(module: str, args: list[str], *, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess:
    """`python -m MODULE ARGS` in cwd with exactly the environment env (default: this process's), as text.

    Like subprocess.run(capture_output=True, text=True): raises subprocess.TimeoutExpired after timeout
    seconds (the child and what it started are killed).
    """
    env = dict(os.environ if env is None else env)
    if _startup(env) != _startup(os.environ):  # read by the interpreter as it starts: the server's are fixed
        return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout, input=stdin if stdin is not None else "")
    with _lock:
        return _server(light=False).run(module, args, cwd, env, stdin, timeout)[0]


def run_measured(args: list[str], *, cwd: Path, memory_limit: int,
                 timeout: float) -> tuple[subprocess.CompletedProcess, int]:
    """`python -m generator ARGS` forked from the light server under an address-space limit of memory_limit
    bytes: its result and its peak resident memory in KiB (its own, as os.wait4 reports it)."""
    with _lock:
        return _server(light=True).run("generator", args, cwd, dict(os.environ), None, timeout, memory_limit)


def run_logged(argv: list[str], *, cwd: Path, env: Mapping[str, str], log: Path,
               timeout: float = 600) -> dict | None:
    """argv, `[sys.executable, "-m", MODULE, *ARGS]` or `[sys.executable, "-c", CODE, *ARGS]`, forked from the
    full server with exactly the environment env, its stdout and stderr both into the file log (as
    `subprocess.Popen(argv, stdout=file, stderr=subprocess.STDOUT)` has them).

    Returns what os.wait4 tells of the child and the children it waited for: "status" (the exit code), "maxrss"
    (peak memory, KiB), "utime" and "stime" (CPU seconds). None, running nothing, when a fork cannot stand for
    that command (another interpreter, or variables read as the interpreter starts that differ from this
    process's): the caller runs it as a real process. Raises subprocess.TimeoutExpired after timeout seconds.
    """
    if len(argv) < 3 or argv[0] != sys.executable or argv[1] not in ("-m", "-c") or _startup(env) != _startup(os.environ):
        return None
    log.write_bytes(b"")
    request = {"module": argv[2] if argv[1] == "-m" else None, "code": argv[2] if argv[1] == "-c" else None,
               "args": list(argv[3:]), "cwd": str(cwd), "env": dict(env), "stdin": None, "stdout": str(log),
               "stderr": None, "memory_limit": None}
    with _lock:
        end, timed_out = _server(light=False).call(request, timeout)
    if timed_out:
        raise subprocess.TimeoutExpired(argv, timeout)
    return end


def _server(*, light: bool) -> _Server:
    """The running server of that kind, started if need be (called with _lock held)."""
    server = _servers.get(light)
    if server is None or server.process.poll() is not None:
        if not _servers:
            atexit.register(stop)
        server = _servers[light] = _Server(light)
    return server


def _startup(env: Mapping[str, str]) -> dict[str, str]:
    """The variables an interpreter reads as it starts (PYTHONPATH, PYTHONHASHSEED, the locale…)."""
    return {name: value for name, value in env.items() if name.startswith(("PYTHON", "LC_")) or name == "LANG"}


def stop() -> None:
    """End this process's servers (their CPU time then counts in this process's children's, as any child's)."""
    with _lock:
        while _servers:
            _servers.popitem()[1].stop()

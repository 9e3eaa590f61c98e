"""Helpers for the UI tests: start the real parcelscreen binary, find it in
the accessibility tree, take screenshots, stop it.

Run under tests/ui/run-ui-test.sh (Xvfb + D-Bus session + dogtail)."""

import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("GTK_THEME", "Adwaita")

from dogtail import config as dogtail_config  # noqa: E402

dogtail_config.config.logDebugToFile = False
dogtail_config.config.logDebugToStdOut = False
dogtail_config.config.searchShowingOnly = False
dogtail_config.config.checkForA11y = False
dogtail_config.config.searchBackoffDuration = 0.25
dogtail_config.config.searchCutoffCount = 40

from dogtail import predicate, tree  # noqa: E402

# dogtail replaces the exception hook with one that hides tracebacks.
sys.excepthook = sys.__excepthook__

import gi  # noqa: E402

gi.require_version("Gdk", "3.0")
from gi.repository import Gdk  # noqa: E402

FAILURES = []


def check(condition, message):
    """Records a failed expectation without stopping the test."""
    if condition:
        print("ok - " + message)
    else:
        print("not ok - " + message)
        FAILURES.append(message)


def finish():
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        sys.exit(1)
    print("all checks passed")
    sys.exit(0)


class UsbHelper:
    """The emulated scale and scanner (tests/ui/usb-helper.c) in a umockdev
    testbed of their own; App(usb=helper) runs the program against them."""

    def __init__(self):
        helper = os.environ.get("PS_USB_HELPER")
        wrapper = os.environ.get("PS_UMOCKDEV_WRAPPER")
        if not helper or not wrapper:
            print("SKIP: umockdev is not available")
            sys.exit(77)
        self.process = subprocess.Popen([wrapper, helper], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, bufsize=1)
        first = self.process.stdout.readline().strip()
        if not first.startswith("UMOCKDEV_DIR="):
            raise RuntimeError("usb-helper did not start: %r" % first)
        self.umockdev_dir = first.split("=", 1)[1]

    def command(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if answer != "ok":
            raise RuntimeError("usb-helper: %s -> %s" % (line, answer))

    def plug(self, device):
        self.command("plug " + device)

    def unplug(self, device):
        self.command("unplug " + device)

    def weigh(self, grams, stable=True):
        self.command("weigh %d %d" % (4 if stable else 3, grams))

    def scan(self, text, symbology="]C0"):
        self.command("scan %s %s" % (symbology, text))

    def stop(self):
        if self.process.poll() is None:
            try:
                self.command("quit")
            except Exception:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


class App:
    """The parcelscreen program, started on its own configuration."""

    def __init__(self, config_text=None, extra_args=(), env=None, usb=None, directory=None):
        self.dir = directory or tempfile.mkdtemp(prefix="ps-ui-")
        self.config = os.path.join(self.dir, "parcelscreen.conf")
        if config_text is not None or not os.path.exists(self.config):
            with open(self.config, "w", encoding="utf-8") as f:
                f.write(config_text or "")
        self.database = os.path.join(self.dir, "counter.db")
        args = [os.environ["PARCELSCREEN"], "--config", self.config,
                "--database", self.database] + list(extra_args)
        # Each run its own user configuration (the first run writes to it).
        environment = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.dir, "config"),
                           **(env or {}))
        if usb is not None:
            args = [os.environ["PS_UMOCKDEV_WRAPPER"]] + args
            environment["UMOCKDEV_DIR"] = usb.umockdev_dir
        self.process = subprocess.Popen(args, env=environment)
        self.node = None

    def wait(self, timeout=30):
        """Returns the application's accessible, waiting for it to appear."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("parcelscreen exited early with %d" % self.process.returncode)
            for app in tree.root.applications():
                try:
                    if app.name in ("parcelscreen", "ParcelScreen") and \
                            self._pid_of(app) == self.process.pid:
                        self.node = app
                        return app
                except Exception:  # the tree changes under us
                    pass
            time.sleep(0.25)
        raise RuntimeError("parcelscreen did not appear in the accessibility tree")

    @staticmethod
    def _pid_of(app):
        try:
            return app.get_process_id()
        except AttributeError:
            return app._Node__accessible.get_process_id()  # older dogtail

    def find(self, role, name=None, timeout=10):
        """Finds a descendant by role and accessible name, waiting for it. A
        label whose text changes (a status, an error) is named by its text,
        as a screen reader reads it, and described by what it is: it is
        found by that description."""
        deadline = time.time() + timeout
        while True:
            try:
                if role == "label" and name is not None:
                    found = self.node.findChildren(
                        lambda node: node.roleName == "label" and
                        (node.description == name or node.name == name))
                    if found:
                        return found[0]
                    raise LookupError(name)
                return self.node.findChild(predicate.GenericPredicate(name=name, roleName=role),
                                           retry=False, requireResult=True)
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.25)

    def value_of(self, name, timeout=10):
        """The text of the value label named NAME (not of its caption, which
        shows the same words)."""
        deadline = time.time() + timeout
        while True:
            labels = self.node.findChildren(
                lambda node: node.roleName == "label" and node.text != name and
                (node.description == name or node.name == name))
            if labels:
                return labels[0].text
            if time.time() > deadline:
                raise RuntimeError("no value label named %r" % name)
            time.sleep(0.25)

    def button(self, name, timeout=10):
        return self.find("push button", name, timeout)

    def entry(self, name, timeout=10):
        """A text entry (or a PIN entry, "password text") named NAME."""
        deadline = time.time() + timeout
        while True:
            found = self.node.findChildren(
                lambda node: node.name == name and node.roleName in ("text", "password text"))
            if found:
                return found[0]
            if time.time() > deadline:
                raise RuntimeError("no entry named %r" % name)
            time.sleep(0.25)

    def type_into(self, name, text):
        """Replaces the text of the entry named NAME."""
        field = self.entry(name)
        field.text = text
        return field

    def activate(self, name):
        """Presses Enter in the entry named NAME."""
        field = self.entry(name)
        field.grabFocus()
        from dogtail import rawinput
        rawinput.pressKey("Return")

    def label_text(self, name, timeout=10):
        return self.find("label", name, timeout).text

    def wait_for(self, what, predicate_fn, timeout=15):
        """Waits until predicate_fn() is true; records a failure otherwise."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if predicate_fn():
                    return True
            except Exception:
                pass
            time.sleep(0.25)
        return False

    def dialog(self, title, timeout=10):
        deadline = time.time() + timeout
        while True:
            try:
                return self.node.findChild(predicate.GenericPredicate(name=title, roleName="dialog"),
                                           retry=False, requireResult=True)
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.25)

    def exit_status(self, timeout=15):
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.exit_status()


def ctl(*args, stdin=None):
    """Runs parcelscreenctl; returns its standard output."""
    result = subprocess.run([os.environ["PARCELSCREENCTL"]] + list(args), input=stdin,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("parcelscreenctl %s: %s" % (" ".join(args), result.stderr))
    return result.stdout


def screenshot(name):
    """Saves the whole screen as NAME.png in the build folder."""
    directory = os.environ.get("PS_SCREENSHOT_DIR", ".")
    time.sleep(0.5)  # let the last frame reach the X server
    window = Gdk.get_default_root_window()
    pixbuf = Gdk.pixbuf_get_from_window(window, 0, 0, window.get_width(), window.get_height())
    path = os.path.join(directory, name + ".png")
    pixbuf.savev(path, "png", [], [])
    print("# screenshot: " + path)
    return path

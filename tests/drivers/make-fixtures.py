#!/usr/bin/python3
"""Writes the emulated USB devices of the device tests: for each model a
device.umockdev (sysfs attributes and descriptors), a device.ioctl (the
interrupt-IN reports, replayed in order and then again), and expected.jsonl
(what `parcelscreenctl devices watch --json` must print).

Run it after changing a fixture here; the generated files are committed."""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# US keyboard usage codes
LETTERS = {chr(ord('a') + i): 0x04 + i for i in range(26)}
DIGITS = {str((i + 1) % 10): 0x1E + i for i in range(10)}
PUNCT = {' ': 0x2C, '-': 0x2D, '=': 0x2E, '[': 0x2F, ']': 0x30, '\\': 0x31, ';': 0x33,
         "'": 0x34, '`': 0x35, ',': 0x36, '.': 0x37, '/': 0x38}
SHIFTED = {'_': 0x2D, '+': 0x2E, '{': 0x2F, '}': 0x30, '|': 0x31, ':': 0x33, '"': 0x34,
           '~': 0x35, '<': 0x36, '>': 0x37, '?': 0x38, '!': 0x1E, '@': 0x1F, '#': 0x20,
           '$': 0x21, '%': 0x22, '^': 0x23, '&': 0x24, '*': 0x25, '(': 0x26, ')': 0x27}


def hexs(data):
    return bytes(data).hex().upper()


def descriptors(vendor, product, iface_class, iface_sub, iface_proto, endpoint, packet,
                report_len):
    device = [18, 1, 0x00, 0x02, 0, 0, 0, 8, vendor & 0xFF, vendor >> 8, product & 0xFF,
              product >> 8, 0x01, 0x00, 1, 2, 0, 1]
    interface = [9, 4, 0, 0, 1, iface_class, iface_sub, iface_proto, 0]
    hid = [9, 0x21, 0x10, 0x01, 0, 1, 0x22, report_len & 0xFF, report_len >> 8]
    ep = [7, 5, endpoint, 3, packet & 0xFF, packet >> 8, 10]
    total = 9 + len(interface) + len(hid) + len(ep)
    config = [9, 2, total & 0xFF, total >> 8, 1, 1, 0, 0x80, 50]
    return hexs(device + config + interface + hid + ep)


def umockdev(vendor, product, devnum, desc):
    node = "bus/usb/001/%03d" % devnum
    return "\n".join([
        "P: /devices/pci0000:00/0000:00:14.0/usb1/1-%d" % devnum,
        "N: %s=%s" % (node, desc),
        "E: DEVNAME=/dev/%s" % node,
        "E: DEVTYPE=usb_device",
        "E: PRODUCT=%x/%x/1" % (vendor, product),
        "E: BUSNUM=001",
        "E: DEVNUM=%03d" % devnum,
        "E: SUBSYSTEM=usb",
        "A: busnum=1",
        "A: devnum=%d" % devnum,
        "A: idVendor=%04x" % vendor,
        "A: idProduct=%04x" % product,
        "A: bConfigurationValue=1",
        "A: speed=12",
        "H: descriptors=%s" % desc,
        "",
    ])


def ioctl(devnum, endpoint, packet, reports):
    lines = ["@DEV /dev/bus/usb/001/%03d" % devnum]
    for i, report in enumerate(reports):
        assert len(report) <= packet
        lines.append("%sUSBDEVFS_REAPURBNDELAY 0 1 %d 0 0 %d %d 0 %s" % (
            "" if i == 0 else " ", endpoint, packet, len(report), hexs(report)))
    return "\n".join(lines) + "\n"


def keyboard_reports(text, suffix=0x28):
    reports = []
    for c in text:
        if c in LETTERS:
            reports.append([0, 0, LETTERS[c], 0, 0, 0, 0, 0])
        elif c.lower() in LETTERS:
            reports.append([0x02, 0, LETTERS[c.lower()], 0, 0, 0, 0, 0])
        elif c in DIGITS:
            reports.append([0, 0, DIGITS[c], 0, 0, 0, 0, 0])
        elif c in PUNCT:
            reports.append([0, 0, PUNCT[c], 0, 0, 0, 0, 0])
        elif c in SHIFTED:
            reports.append([0x20, 0, SHIFTED[c], 0, 0, 0, 0, 0])
        else:
            raise ValueError(c)
        reports.append([0] * 8)  # release
    if suffix:
        reports.append([0, 0, suffix, 0, 0, 0, 0, 0])
        reports.append([0] * 8)
    return reports


def hidpos_reports(symbology, data, size=64):
    chunk = size - 6
    reports = []
    raw = data.encode("utf-8")
    parts = [raw[i:i + chunk] for i in range(0, len(raw), chunk)] or [b""]
    for i, part in enumerate(parts):
        report = [2, len(part)] + list(symbology.encode()) + list(part)
        report += [0] * (size - 1 - len(report))
        report.append(1 if i < len(parts) - 1 else 0)
        reports.append(report)
    return reports


def scale(status, unit, exponent, value):
    return [3, status, unit, exponent & 0xFF, value & 0xFF, (value >> 8) & 0xFF]


def write(name, vendor, product, devnum, iface, endpoint, packet, report_len, reports, expected,
          config=None, count=None):
    directory = os.path.join(HERE, name)
    os.makedirs(directory, exist_ok=True)
    desc = descriptors(vendor, product, *iface, endpoint, packet, report_len)
    with open(os.path.join(directory, "device.umockdev"), "w") as f:
        f.write(umockdev(vendor, product, devnum, desc))
    with open(os.path.join(directory, "device.ioctl"), "w") as f:
        f.write(ioctl(devnum, endpoint, packet, reports))
    with open(os.path.join(directory, "expected.jsonl"), "w") as f:
        for event in expected:
            f.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
    if config is not None:
        with open(os.path.join(directory, "parcelscreen.conf"), "w") as f:
            f.write(config)
    with open(os.path.join(directory, "count"), "w") as f:
        f.write("%d\n" % (count if count is not None else
                          sum(1 for e in expected if e["event"] in ("weight", "scan"))))


def added(device, kind, driver, name):
    return {"event": "added", "device": device, "kind": kind, "driver": driver, "name": name}


def weight(device, status, mg):
    return {"event": "weight", "device": device, "status": status, "milligrams": mg}


def scan(device, text, symbology):
    return {"event": "scan", "device": device, "text": text, "symbology": symbology}


HID = (3, 0, 0)
BOOT_KEYBOARD = (3, 1, 1)

# Scales. The first report is dropped (it may be stale); a repeated reading
# gives no event; the script then starts over.
write("synthetic-scale-dymo-m10", 0x0922, 0x8003, 2, HID, 0x82, 6, 52,
      [scale(2, 2, 0, 0), scale(3, 2, 0, 1040), scale(4, 2, 0, 1000), scale(4, 2, 0, 1000)],
      [added("0922:8003", "scale", "scale-hid-pos", "DYMO M10 postal scale"),
       weight("0922:8003", "motion", 1040000), weight("0922:8003", "stable", 1000000),
       weight("0922:8003", "zero", 0)])
write("synthetic-scale-dymo-m25-ounces", 0x0922, 0x8004, 3, HID, 0x82, 6, 52,
      [scale(2, 11, -1, 0), scale(4, 11, -1, 300), scale(6, 11, -1, 0xFFFF)],
      [added("0922:8004", "scale", "scale-hid-pos", "DYMO M25 postal scale"),
       weight("0922:8004", "stable", 850486), weight("0922:8004", "overload", 185788600),
       weight("0922:8004", "zero", 0)])
write("synthetic-scale-mettler-kg", 0x0EB8, 0xF000, 4, HID, 0x81, 6, 52,
      [scale(2, 3, -3, 0), scale(5, 3, -3, 10), scale(4, 3, -3, 2500)],
      [added("0eb8:f000", "scale", "scale-hid-pos", "Mettler Toledo PS60 scale"),
       weight("0eb8:f000", "under-zero", -10000), weight("0eb8:f000", "stable", 2500000),
       weight("0eb8:f000", "zero", 0)])
write("synthetic-scale-stamps-pounds-garbage", 0x1446, 0x6A73, 5, HID, 0x81, 6, 52,
      [scale(2, 12, -2, 0), scale(4, 12, -2, 125), [9, 9, 9, 9, 9, 9], [3, 42, 2, 0, 1, 0],
       scale(4, 12, -2, 125), scale(3, 12, -2, 130)],
      [added("1446:6a73", "scale", "scale-hid-pos", "Stamps.com digital scale"),
       weight("1446:6a73", "stable", 566990),
       {"event": "error", "device": "1446:6a73",
        "message": "The scale sent an unknown report (id 9)."},
       {"event": "error", "device": "1446:6a73",
        "message": "The scale sent an unknown status (42)."},
       weight("1446:6a73", "motion", 589670)])

# Keyboard-mode scanners: Enter or Tab suffix, releases between keys, an AIM
# prefix, repeated characters.
write("synthetic-scanner-honeywell-keyboard", 0x0C2E, 0x0B81, 6, BOOT_KEYBOARD, 0x81, 8, 63,
      keyboard_reports("EE471108151FR"),
      [added("0c2e:0b81", "scanner", "scanner-hid-keyboard", "Honeywell scanner (keyboard mode)"),
       scan("0c2e:0b81", "EE471108151FR", None)])
write("synthetic-scanner-zebra-keyboard-aim-tab", 0x05E0, 0x1200, 7, BOOT_KEYBOARD, 0x81, 8, 63,
      keyboard_reports("]C0CP003000000VN", suffix=0x2B),
      [added("05e0:1200", "scanner", "scanner-hid-keyboard", "Zebra scanner (keyboard mode)"),
       scan("05e0:1200", "CP003000000VN", "]C0")])
# A keyboard-mode scanner of an unlisted maker, claimed because it is configured.
write("synthetic-scanner-configured-keyboard", 0x1234, 0x5678, 8, BOOT_KEYBOARD, 0x81, 8, 63,
      keyboard_reports("RB123456785US"),
      [added("1234:5678", "scanner", "scanner-hid-keyboard", "USB scanner 1234:5678"),
       scan("1234:5678", "RB123456785US", None)],
      config="[devices]\nscanner-ids=1234:5678\n")
# The clerk's own keyboard: never claimed, nothing printed.
write("synthetic-keyboard-not-claimed", 0x046D, 0xC31C, 9, BOOT_KEYBOARD, 0x81, 8, 63,
      keyboard_reports("secret"), [], count=1)

# HID POS scanner: a CCCD QR code in Vietnamese, over several reports.
CCCD = ("001090012345|012345678|Nguyễn Văn An|15031990|Nam|"
        "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|20042021")
write("synthetic-scanner-honeywell-hidpos", 0x0C2E, 0x0B87, 10, HID, 0x81, 64, 52,
      hidpos_reports("]Q1", CCCD) + hidpos_reports("]C0", "EE471108151FR"),
      [added("0c2e:0b87", "scanner", "scanner-hid-pos", "Honeywell Xenon scanner (HID POS)"),
       scan("0c2e:0b87", CCCD, "]Q1"), scan("0c2e:0b87", "EE471108151FR", "]C0")])

#!/usr/bin/python3
"""The police's web view in a real browser (headless Chromium through
Selenium), against a hub holding reports a counter really forwarded:

- without a session every page leads to the login page, and a POST is refused;
- a wrong password is refused, five lock the account, the right one then too;
- an officer logs in (Vietnamese first), filters the held parcels by tracking
  number, status and office, opens a report: the parcel, the sender, the
  inspection answers, the risk reasons, every custody event in order, and
  "signature verified"; the counters page and the day's summary with its
  chart; English on request;
- a forged form (a valid session cookie, a wrong CSRF token) is refused and
  changes nothing;
- the session cookie is Secure, HttpOnly and SameSite=Strict, every page has
  a strict Content-Security-Policy;
- every view of a report is in access_log; the hub's log has no personal data.

Screenshots go to $PS_SCREENSHOT_DIR (default: the build folder)."""
import http.client
import os
import shutil
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hublib  # noqa: E402
from hublib import check, finish  # noqa: E402

hublib.need_tools()
try:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    print("SKIP: python3-selenium is not installed")
    sys.exit(77)
CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
if CHROMIUM is None or DRIVER is None:
    print("SKIP: chromium and chromium-driver are not installed")
    sys.exit(77)

SHOTS = os.environ.get("PS_SCREENSHOT_DIR") or os.path.join(
    os.environ.get("G_TEST_BUILDDIR", hublib.tempdir()), "screenshots")
os.makedirs(SHOTS, exist_ok=True)
PIN = "739146\n"
PASSWORD = "Mật-khẩu-của-Tuấn-2026"

work = hublib.tempdir()
certs = hublib.relaylib.Certificates(work)
pg = hublib.Postgres()
hub = None
browser = None


def report(counter, *args):
    return subprocess.run([hublib.relaylib.CTL, "report", *args, "--db", counter.db, "--as",
                           "sim-supervisor", "--pin-stdin"], input=PIN, capture_output=True,
                          text=True, timeout=120)


def shot(name):
    browser.save_screenshot(os.path.join(SHOTS, "hub-%s.png" % name))


def raw(method, path, cookie=None, body=None):
    """A request outside the browser (a forged form, the headers)."""
    context = ssl.create_default_context(cafile=certs.ca[1])
    connection = http.client.HTTPSConnection("localhost", hub.web_port, context=context,
                                             timeout=20)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie
    connection.request(method, path, body=body, headers=headers)
    answer = connection.getresponse()
    return answer.status, answer.getheaders(), answer.read().decode()


def gone(element):
    """The page the element was on has been replaced (chromedriver reports
    that in more than one way)."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


def click(element):
    element.click()
    WebDriverWait(browser, 20).until(lambda _: gone(element))


def login(name, password):
    browser.get(hub.web_url + "/login")
    browser.find_element(By.ID, "login").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(password)
    button = browser.find_element(By.ID, "submit")
    click(button)


try:
    hublib.hubctl(pg, "db", "migrate")
    a = hublib.Counter(work, certs, "BC-700000", "03", parcels=14, seed="21", hold_rate="0.5")
    b = hublib.Counter(work, certs, "BC-550000", "01", parcels=4, seed="22")
    for counter in (a, b):
        counter.register(pg)
    with sqlite3.connect(a.db) as db:
        first = db.execute("SELECT r.id, p.tracking, p.sender_name FROM reports r JOIN parcels p "
                           "ON p.id = r.parcel_id ORDER BY r.id LIMIT 1").fetchone()
        names = [v for row in db.execute("SELECT sender_id, sender_name, sender_phone, "
                                         "recipient_name FROM parcels") for v in row if v]
    report(a, "assess", str(first[0]), "--note", "Bột trắng trong hộp trà")
    report(a, "handover", str(first[0]), "--officer", "Đại úy Lê Văn Công", "--unit",
           "PC04 Công an tỉnh", "--badge", "123-456", "--override",
           "Công an đến lấy ngay, chưa có lệnh trên hệ thống")
    police_key = os.path.join(work, "police.key")
    hublib.hubctl(pg, "keys", "generate", police_key)
    hub = hublib.Hub(work, certs, pg)
    with open(hub.config, "a") as f:
        f.write("[answers]\npolice-key=%s\n" % police_key)
    hub.start()
    for counter in (a, b):
        counter.write_config(hub.url)
        counter.forward_once()
    check(all(r[1] == "sent" for r in a.outbox() + b.outbox()), "the counters' reports reached the hub")
    tracking, sender_name = first[1], first[2]
    added = hublib.hubctl(pg, "user", "add", "tuan", "--name", "Trần Văn Tuấn", "--role",
                          "officer", stdin=PASSWORD + "\n")
    hublib.hubctl(pg, "user", "add", "locked", "--name", "Lê Thị Khoá", "--role", "officer",
                  stdin=PASSWORD + "\n")
    hublib.hubctl(pg, "user", "add", "hung", "--name", "Thượng tá Phạm Văn Hùng", "--role",
                  "commander", "--unit", "PC04", "--badge", "045-112", stdin=PASSWORD + "\n")
    check(added.returncode == 0, "a police user is added")

    # Without a session.
    status, headers, _ = raw("GET", "/reports")
    check(status == 303 and dict(headers).get("Location") == "/login",
          "without a session /reports leads to the login page (%s)" % status)
    status, _, body = raw("POST", "/logout", body="csrf=x")
    check(status == 403, "without a session a POST is refused (%s)" % status)
    status, headers, body = raw("GET", "/report?counter=1&id=1")
    check(status == 303 and tracking not in body and sender_name not in body,
          "no personal data without a session")

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                     "--ignore-certificate-errors", "--disable-dev-shm-usage", "--lang=vi"):
        options.add_argument(argument)
    service = webdriver.ChromeService(executable_path=DRIVER) if hasattr(
        webdriver, "ChromeService") else webdriver.chrome.service.Service(DRIVER)
    browser = webdriver.Chrome(options=options, service=service)
    browser.set_page_load_timeout(30)

    browser.get(hub.web_url + "/counters")
    check(browser.current_url.endswith("/login"), "the browser is sent to the login page")
    check("Đăng nhập" in browser.page_source, "the login page is in Vietnamese")
    shot("login")

    login("tuan", "wrong password")
    check("Sai tên đăng nhập hoặc mật khẩu" in browser.page_source,
          "a wrong password is refused with a clear message")
    for _ in range(5):
        login("locked", "wrong password")
    login("locked", PASSWORD)
    check("tạm khoá" in browser.page_source and browser.current_url.endswith("/login"),
          "after five wrong tries the right password is refused too (locked)")

    login("tuan", PASSWORD)
    check(browser.current_url.endswith("/reports"), "the officer is logged in: " + browser.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "#reports tbody tr")
    total = int(pg.query("SELECT count (*) FROM reports")[0][0])
    check(len(rows) == min(total, 50) and total > 3, "the held parcels are listed (%d of %d)"
          % (len(rows), total))
    shot("reports")

    box = browser.find_element(By.ID, "f-tracking")
    box.send_keys(tracking)
    button = browser.find_element(By.ID, "filter")
    click(button)
    rows = browser.find_elements(By.CSS_SELECTOR, "#reports tbody tr")
    check(len(rows) == 1 and tracking in rows[0].text, "filtered by tracking number: one row")
    browser.get(hub.web_url + "/reports?status=handed-over")
    rows = browser.find_elements(By.CSS_SELECTOR, "#reports tbody tr")
    check(len(rows) == 1 and tracking in rows[0].text, "filtered by status: the handed-over one")
    with sqlite3.connect(a.db) as db:
        reason = db.execute("SELECT hold_reasons FROM parcels WHERE tracking = ?",
                            (tracking,)).fetchone()[0].split(",")[0]
    browser.get(hub.web_url + "/reports?reason=" + reason)
    rows = browser.find_elements(By.CSS_SELECTOR, "#reports tbody tr")
    expected_rows = int(pg.query("SELECT count (*) FROM reports WHERE '%s' = ANY (hold_reasons)"
                                 % reason)[0][0])
    check(len(rows) == expected_rows and reason not in browser.find_element(By.ID, "reports").text,
          "filtered by hold reason (%d), reasons shown in words, not codes" % len(rows))
    browser.get(hub.web_url + "/reports?office=BC-550000")
    rows = browser.find_elements(By.CSS_SELECTOR, "#reports tbody tr")
    check(len(rows) == 4, "filtered by office: its four reports (%d)" % len(rows))
    browser.get(hub.web_url + "/reports?tracking=" + tracking)
    link = browser.find_element(By.CSS_SELECTOR, "#reports tbody tr a")
    click(link)
    page = browser.page_source
    check(tracking in browser.title and sender_name in page, "the report shows the parcel and its sender")
    check("✓" in browser.find_element(By.ID, "signature").text, "the signature is shown verified")
    events = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#custody tr")][1:]
    check(len(events) == 3 and "Lập báo cáo" in events[0] and "đánh giá" in events[1] and
          "Bàn giao" in events[2] and "Lê Văn Công" in events[2],
          "every custody event in order: %s" % events)
    check("KHÔNG CÓ CHỈ THỊ" in events[2] and "chưa có lệnh" in events[2],
          "a hand-over without the police's instruction is flagged with its reason")
    check(len(browser.find_elements(By.CSS_SELECTOR, "#inspection tr")) > 2,
          "the inspection answers are shown")
    with sqlite3.connect(a.db) as db:
        hits = [r[0] for r in db.execute(
            "SELECT h.reason_vi FROM risk_hits h JOIN parcels p ON p.id = h.parcel_id "
            "WHERE p.tracking = ? ORDER BY h.position", (tracking,))]
    shown = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#reasons li")]
    check(hits and shown == hits, "the risk reasons, as the counter recorded them (%r, %r)"
          % (shown, hits))
    shot("report")
    views = pg.query("SELECT u.login, a.action FROM access_log a JOIN police_users u "
                     "ON u.id = a.user_id WHERE a.action = 'view-report'")
    check(views == [["tuan", "view-report"]], "the view is in access_log: %s" % views)

    browser.get(hub.web_url + "/counters")
    check(len(browser.find_elements(By.CSS_SELECTOR, "#counters tr")) == 3, "the counters page")
    shot("counters")
    browser.get(hub.web_url + "/summary")
    check(len(browser.find_elements(By.CSS_SELECTOR, "#by-reason rect")) >= 1 and
          len(browser.find_elements(By.CSS_SELECTOR, "#by-office rect")) == 2,
          "the day's summary draws its charts")
    shot("summary")
    browser.get(hub.web_url + "/reports?lang=en")
    check("Held parcels" in browser.page_source, "English on request")
    browser.get(hub.web_url + "/reports?lang=vi")

    # A forged form: the session cookie, a wrong token.
    session = browser.get_cookie("ps_session")
    check(session is not None and session.get("secure") and session.get("httpOnly") and
          session.get("sameSite") == "Strict", "the session cookie is Secure, HttpOnly, SameSite=Strict")
    cookie = "ps_session=" + session["value"]
    status, _, _ = raw("POST", "/logout", cookie=cookie, body="csrf=" + "A" * 32)
    check(status == 403, "a forged form (wrong CSRF token) is refused (%s)" % status)
    status, headers, _ = raw("GET", "/reports", cookie=cookie)
    policy = dict(headers).get("Content-Security-Policy", "")
    check(status == 200, "… and the session is still there")
    check("default-src 'self'" in policy and "frame-ancestors 'none'" in policy,
          "a strict Content-Security-Policy: " + policy)
    status, _, body = raw("GET", "/reports?tracking=%27%20OR%201%3D1--", cookie=cookie)
    check(status == 200 and "#reports" not in body and tracking not in body,
          "a quote in a filter is a value, not SQL")
    button = browser.find_element(By.CSS_SELECTOR, "nav button")
    click(button)
    check(browser.current_url.endswith("/login"), "logging out leads to the login page")

    # A commander issues instructions from the report's page.
    login("hung", PASSWORD)
    browser.get(hub.web_url + "/reports?tracking=" + tracking)
    click(browser.find_element(By.CSS_SELECTOR, "#reports tbody tr a"))
    from selenium.webdriver.support.ui import Select
    Select(browser.find_element(By.ID, "i-kind")).select_by_value("received")
    browser.find_element(By.ID, "i-case").send_keys("VV-2026-0301")
    click(browser.find_element(By.ID, "i-send"))
    Select(browser.find_element(By.ID, "i-kind")).select_by_value("request_info")
    browser.find_element(By.ID, "i-question").send_keys("Người gửi có xuất trình CCCD gốc không?")
    browser.find_element(By.ID, "i-due").send_keys("01012026\t0800AM")
    click(browser.find_element(By.ID, "i-send"))
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#instructions tr")][1:]
    check(len(rows) == 2 and "VV-2026-0301" in rows[0] and "CCCD gốc" in rows[1],
          "the report shows its instructions: %s" % rows)
    shot("report-instructions")
    browser.get(hub.web_url + "/instructions")
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#open-instructions tr")][1:]
    check(len(rows) == 2 and "QUÁ HẠN" in rows[0] and tracking in rows[0],
          "the open instructions, the overdue one first and marked: %s" % rows)
    shot("instructions")
    status, _, _ = raw("GET", "/reports", cookie=cookie)
    check(status == 303, "the session ended on the server too")

    hub.stop()
    log = open(hub.log).read()
    check(names and not any(v in log for v in names),
          "no page wrote personal data to the hub's log (%d values looked for)" % len(names))
finally:
    if browser is not None:
        browser.quit()
    if hub is not None:
        hub.stop()
    pg.destroy()
finish()

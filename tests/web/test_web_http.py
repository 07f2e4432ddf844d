"""The web page at the HTTP level, against a real server: every route from the app's
own route table is checked for login, roles and CSRF (a new route cannot be left
out); uploads over the cap, path traversal, forged cookies, login flooding; eight
approvals at once get eight consecutive numbers."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import httpx
import pytest
from itsdangerous import URLSafeSerializer
from webserver import ACCOUNTS, CIRCULAR_FORM, PASSWORD, Server, cli, csrf_of, login, serving

from generators.web.app import create_app
from generators.web.app import route_table as app_routes
from generators.web.security import COOKIE

pytestmark = pytest.mark.slow

PARAMS = {  # a value for each path parameter the routes use
    "doc_id": "0123456789ab",
    "key": "0" * 24,
    "page": "1",
    "fmt": "pdf",
    "period": "2012Q1",
    "task_id": "0" * 16,
    "name": "2012-guidang.zip",
    "index": "0",
}


def route_table(tmp: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, path, roles) of every route, read from the app itself."""
    table = app_routes(create_app(tmp, warm=False))
    unguarded = [(m, p) for m, p, roles in table if roles is None]
    assert unguarded == [], "routes added without a Guard"
    return [(m, p, roles or ()) for m, p, roles in table]


def url_of(path: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: PARAMS[m.group(1)], path)


server = pytest.fixture(scope="module")(serving)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, tuple[str, ...]]]:
    return route_table(tmp_path_factory.mktemp("table"))


@pytest.fixture(scope="module")
def clients(server: Server) -> dict[str, tuple[httpx.Client, str]]:
    return {name: login(server.url, name) for name in ACCOUNTS}


def test_only_the_login_page_is_public(table: list) -> None:
    assert len(table) > 30
    public = {(m, p) for m, p, roles in table if not roles}
    assert public == {("GET", "/login"), ("POST", "/login")}


def test_every_route_without_a_session_goes_to_the_login_page_or_401(server: Server, table: list) -> None:
    anonymous = httpx.Client(base_url=server.url, timeout=60)
    for method, path, roles in table:
        if not roles:
            continue
        response = anonymous.request(method, url_of(path), headers={"accept": "text/html"})
        if method == "GET":
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login"), path
        else:
            assert response.status_code == 401, path


def test_each_role_is_refused_the_routes_of_the_others(clients: dict, table: list) -> None:
    single = {name: roles[0] for name, roles in ACCOUNTS.items() if len(roles) == 1}
    checked = 0
    for method, path, roles in table:
        for name, role in single.items():
            if not roles or role in roles:
                continue
            client, csrf = clients[name]
            response = client.request(method, url_of(path), data={"csrf": csrf} if method == "POST" else None)
            assert response.status_code == 403, (name, method, path, response.status_code)
            assert "没有权限" in response.text
            checked += 1
    assert checked > 100


def test_a_post_without_its_csrf_token_is_refused(clients: dict, table: list) -> None:
    for method, path, roles in table:
        if method != "POST" or not roles:
            continue
        name = next(n for n, r in ACCOUNTS.items() if set(r) & set(roles))
        client, _csrf = clients[name]
        for data in ({}, {"csrf": "forged"}):
            response = client.post(url_of(path), data=data)
            assert response.status_code == 403, path
            assert "CSRF" in response.text


def test_a_cookie_signed_with_another_secret_is_refused(server: Server, clients: dict) -> None:
    client, _ = clients["nigao"]
    token = URLSafeSerializer((server.data / "secret.key").read_text().strip(), salt="gongwen-session").loads(
        client.cookies[COOKIE]
    )
    forged = URLSafeSerializer("another-secret", salt="gongwen-session").dumps(token)
    response = httpx.get(f"{server.url}/documents", cookies={COOKIE: forged}, headers={"accept": "text/html"})
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    genuine = httpx.get(f"{server.url}/documents", cookies={COOKIE: client.cookies[COOKIE]})
    assert genuine.status_code == 200


def test_the_session_cookie_is_httponly_and_samesite(server: Server) -> None:
    response = httpx.post(f"{server.url}/login", data={"name": "nigao", "password": PASSWORD, "next": "/"})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_login_attempts_are_limited(server: Server) -> None:
    assert (
        cli("user", "add", "baoli", "--role", "拟稿", "--password", PASSWORD, "--data", str(server.data)).returncode
        == 0
    )
    for _ in range(5):
        wrong = httpx.post(f"{server.url}/login", data={"name": "baoli", "password": "wrong-password"})
        assert wrong.status_code == 401
        assert "用户名或密码不对" in wrong.text
    right = httpx.post(f"{server.url}/login", data={"name": "baoli", "password": PASSWORD})
    assert right.status_code == 429
    assert "次数过多" in right.text


def test_an_upload_over_the_cap_is_refused(clients: dict) -> None:
    client, csrf = clients["tongji"]
    big = b"0" * (11 * 1024 * 1024)
    response = client.post("/quarters/2012Q1/upload", data={"csrf": csrf}, files={"data": ("big.csv", big)})
    assert response.status_code == 413
    assert "上限" in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/documents/..%2F..%2Fsecret.key",
        "/documents/0123456789ab/preview/..%2F..%2F..%2Fsecret.key/1.png",
        "/quarters/..%2F..%2Foffice.sqlite3/zip",
        "/archive/..%2Fsecret.key",
        "/archive/..%2F..%2Fregistry.sqlite3",
        "/tasks/..%2F..%2Fsecret",
        "/documents/0123456789ab/download/..%2Fsecret.key",
    ],
)
def test_names_that_leave_the_data_folder_are_refused(clients: dict, url: str) -> None:
    client, _ = clients["zonghe"]
    response = client.get(url)
    assert response.status_code in (403, 404), url
    assert "secret" not in response.text or "没有这个页面" in response.text


def test_an_uploaded_file_name_never_reaches_the_file_system(server: Server, clients: dict) -> None:
    client, csrf = clients["nigao"]
    text = (
        "连妇保集〔2026〕9号\n关于召开工作例会的通知\n各成员单位：\n定于下周一召开例会。\n"
        "连云港市妇幼保健集团\n2026年12月1日\n"
    )
    response = client.post(
        "/documents/import", data={"csrf": csrf}, files={"draft": ("../../../../evil.txt", text.encode())}
    )
    assert response.status_code == 303, response.text
    assert not list(server.data.parent.rglob("evil.txt"))
    refused = client.post("/documents/import", data={"csrf": csrf}, files={"draft": ("草稿.exe", b"MZ")})
    assert refused.status_code == 400
    assert "只能导入 .docx 或 .txt" in refused.text


def test_page_text_is_escaped(clients: dict) -> None:
    client, csrf = clients["nigao"]
    doc = client.post("/documents/new", data={"csrf": csrf}).headers["location"]
    form = {**CIRCULAR_FORM, "csrf": csrf, "标题": "关于<script>alert(1)</script>的通知"}
    assert client.post(doc, data=form).status_code == 303
    page = client.get(doc).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_eight_approvals_at_once_get_eight_consecutive_numbers(clients: dict) -> None:
    writer, csrf = clients["nigao"]
    docs = []
    for i in range(8):
        doc = writer.post("/documents/new", data={"csrf": csrf}).headers["location"]
        form = {**CIRCULAR_FORM, "csrf": csrf, "年份": "2031", "标题": f"关于第{i + 1}次例会的通知"}
        assert writer.post(doc, data=form).status_code == 303
        docs.append(doc)
    approver, approver_csrf = clients["shenhe"]
    cookies = approver.cookies
    statuses: list[int] = []

    def approve(doc: str) -> None:
        with httpx.Client(base_url=str(approver.base_url), cookies=cookies, timeout=300) as own:
            statuses.append(own.post(f"{doc}/approve", data={"csrf": approver_csrf}).status_code)

    threads = [threading.Thread(target=approve, args=(doc,)) for doc in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [303] * 8
    numbers = []
    for doc in docs:
        page = approver.get(doc).text
        found = re.search(r'id="number">连妇保集〔2031〕(\d+)号<', page)
        assert found, page[:2000]
        numbers.append(int(found.group(1)))
    assert sorted(numbers) == list(range(min(numbers), min(numbers) + 8))
    listed = approver.get("/numbers", params={"q": "〔2031〕"}).text
    assert listed.count("连妇保集〔2031〕") == 8
    # A second approval of an issued document is refused, its number unchanged.
    again = approver.post(f"{docs[0]}/approve", data={"csrf": approver_csrf})
    assert again.status_code == 409


def test_csrf_token_is_the_sessions_own(clients: dict) -> None:
    one, _ = clients["nigao"]
    _, other_csrf = clients["zonghe"]
    response = one.post("/documents/new", data={"csrf": other_csrf})
    assert response.status_code == 403
    assert csrf_of(one.get("/documents").text) != other_csrf


def test_a_pasted_draft_without_a_number_is_numbered_on_approval(clients: dict) -> None:
    writer, csrf = clients["zonghe"]
    text = (
        "关于报送2026年度妇幼健康工作总结的通知\n各成员单位：\n请于2026年12月25日前报送年度工作总结。\n"
        "特此通知。\n连云港市妇幼保健集团\n2026年12月2日\n"
    )
    response = writer.post("/documents/import", data={"csrf": csrf, "text": text, "code": "连妇保集"})
    assert response.status_code == 303, response.text
    doc = response.headers["location"]
    assert "（草稿" in writer.get(doc).text
    assert writer.post(f"{doc}/approve", data={"csrf": csrf}).status_code == 303
    assert re.search(r'id="number">连妇保集〔2026〕\d+号<', writer.get(doc).text)


def _field_names(html: str, prefix: str) -> dict[str, str]:
    return dict(re.findall(rf'name="({prefix}[^"]*)" value="([^"]*)"', html))


def test_targets_and_units_are_edited_as_tables_and_checked(server: Server, clients: dict) -> None:
    client, csrf = clients["tongji"]
    page = client.get("/books").text
    targets = _field_names(page, "目标-")
    assert len(targets) >= 15
    key = next(k for k, v in targets.items() if v == "达95%")
    bad = client.post("/books/targets", data={"csrf": csrf, key: "大约九十五"})
    assert bad.status_code == 400
    assert "大约九十五" in bad.text and "target_book.yaml" in bad.text
    assert "达95%" in (server.data / "inputs" / "book" / "target_book.yaml").read_text(encoding="utf-8")
    good = client.post("/books/targets", data={"csrf": csrf, key: "达96%"})
    assert good.status_code == 200 and "已保存并通过检查" in good.text
    assert _field_names(good.text, "目标-")[key] == "达96%"

    rows = re.findall(r'name="名称" value="([^"]+)"', page)
    assert len(rows) == 8
    columns = {c: re.findall(rf'name="{c}" value="([^"]*)"', page) for c in ("名称", "简称", "法定代表人", "地址")}
    form: dict[str, list[str]] = {c: [*values, "某区妇幼保健所"] for c, values in columns.items()}
    form["简称"][-1], form["法定代表人"][-1], form["地址"][-1] = columns["简称"][0], "某某", ""  # a duplicate 简称
    duplicate = client.post("/books/units", data={"csrf": csrf, **form})
    assert duplicate.status_code == 400 and columns["简称"][0] in duplicate.text
    form["简称"][-1] = "某区所"
    added = client.post("/books/units", data={"csrf": csrf, **form})
    assert added.status_code == 200, added.text
    assert len(re.findall(r'name="名称" value="([^"]+)"', added.text)) == 9
    assert "某区妇幼保健所" in (server.data / "inputs" / "book" / "units.yaml").read_text(encoding="utf-8")


def test_an_uploaded_attachment_becomes_a_text_attachment(server: Server, clients: dict) -> None:
    client, csrf = clients["nigao"]
    doc = client.post("/documents/new", data={"csrf": csrf}).headers["location"]
    assert client.post(doc, data={**CIRCULAR_FORM, "csrf": csrf}).status_code == 303
    text = "2026年宣传周活动安排\n一、启动仪式\n12月1日上午在市妇幼保健院举行。\n二、义诊活动\n12月2日至5日。\n"
    sent = client.post(
        f"{doc}/attachments", data={"csrf": csrf}, files={"file": ("../安排.txt", text.encode("gb18030"))}
    )
    assert sent.status_code == 303, sent.text
    page = client.get(doc).text
    assert "2026年宣传周活动安排" in page  # the 附件说明 field lists it
    form = {**CIRCULAR_FORM, "csrf": csrf, "附件说明": "2026年宣传周活动安排"}
    preview = client.post(f"{doc}/preview", data=form, headers={"x-csrf-token": csrf})
    assert re.search(r"预览 [2-9] 页", preview.text), preview.text[:500]
    main = server.data / "inputs" / "documents" / doc.rsplit("/", 1)[1] / "main.yaml"
    assert "12月1日上午在市妇幼保健院举行。" in main.read_text(encoding="utf-8")
    refused = client.post(f"{doc}/attachments", data={"csrf": csrf}, files={"file": ("a.pdf", b"%PDF-1.7")})
    assert refused.status_code == 400 and "只能是 .docx 或 .txt" in refused.text


def test_an_imported_work_plan_can_be_attached_to_a_circular(clients: dict) -> None:
    client, csrf = clients["nigao"]
    plan = (
        "某县妇幼保健所2027年工作计划\n一、总体目标\n全面完成年度妇幼健康工作任务。\n"
        "二、主要工作\n（一）加强孕产妇保健管理\n落实孕产妇系统管理，提高早孕建册率。\n"
        "（二）做好儿童保健工作\n做好新生儿访视。\n三、保障措施\n加强组织领导。\n"
    )
    made = client.post("/documents/import", data={"csrf": csrf, "text": plan})
    assert made.status_code == 303, made.text
    plan_id = made.headers["location"].rsplit("/", 1)[1]
    assert 'name="mode" value="yaml"' in client.get(made.headers["location"]).text  # not a circular: YAML editor
    doc = client.post("/documents/new", data={"csrf": csrf}).headers["location"]
    page = client.get(doc).text
    assert f'value="../{plan_id}/main.yaml"' in page
    form = {**CIRCULAR_FORM, "csrf": csrf, "附件文件": f"../{plan_id}/main.yaml", "附件文件标题": "2027年工作计划"}
    assert client.post(doc, data=form).status_code == 303
    preview = client.post(f"{doc}/preview", data={**CIRCULAR_FORM, "csrf": csrf}, headers={"x-csrf-token": csrf})
    assert re.search(r"预览 [2-9] 页", preview.text), preview.text[:800]


def test_pages_forbid_framing_and_caching(server: Server, clients: dict) -> None:
    client, _ = clients["nigao"]
    for response in (httpx.get(f"{server.url}/login"), client.get("/documents")):
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_a_user_changes_their_own_password(server: Server) -> None:
    done = cli("user", "add", "gaimi", "--role", "统计", "--password", PASSWORD, "--data", str(server.data))
    assert done.returncode == 0
    client, csrf = login(server.url, "gaimi")
    wrong = client.post(
        "/account", data={"csrf": csrf, "old": "not-it", "new": "new-password-1", "again": "new-password-1"}
    )
    assert wrong.status_code == 400 and "原密码不对" in wrong.text
    changed = client.post(
        "/account", data={"csrf": csrf, "old": PASSWORD, "new": "new-password-1", "again": "new-password-1"}
    )
    assert changed.status_code == 200 and "密码已修改" in changed.text
    assert client.get("/quarters", headers={"accept": "text/html"}).status_code == 303  # the old session ended
    assert httpx.post(f"{server.url}/login", data={"name": "gaimi", "password": PASSWORD}).status_code == 401
    fresh, _ = login(server.url, "gaimi", "new-password-1")
    assert fresh.get("/quarters").status_code == 200

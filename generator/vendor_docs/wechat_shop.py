"""WeChat Shop's delivery/send page: the request parameter table (dotted ``a[].b`` names), return codes."""

from __future__ import annotations

import re

from .facts import DocField, DocOperation, VendorDocError, error_rows, section


def parse_wechat(text: str) -> list[DocOperation]:
    """Parse the WeChat Shop doc into its one operation."""
    what = "wechat_shop"
    method = re.search(r"http请求方式:\s*(POST|GET)", text)
    url = re.search(r"https://api\.weixin\.qq\.com(/[\w/]+)\?access_token=", text)
    if method is None or url is None:
        raise VendorDocError(f"{what}: request method or URL not found")
    table = section(text, "# Dxplaination of request parameters", "# Dxplaination of callback", what)
    lines = [line for line in table.splitlines() if line.startswith("|")]
    header = r"\| 参数 \| type \| Is it compulsory\? \|"
    if len(lines) < 3 or not re.match(header, lines[0]) or not re.fullmatch(r"\|(-+\|)+", lines[1]):
        raise VendorDocError(f"{what}: request table header not recognised", at=lines[0] if lines else None)
    fields: list[DocField] = []
    for line in lines[2:]:
        match = re.fullmatch(r"\| ([\w.\[\]]+) \| (\w+) \| (yes|no) \| (.*) \|", line.strip())
        if match is None:
            raise VendorDocError(f"{what}: unrecognised request row {line!r}", at=line)
        path = tuple(match.group(1).replace("[]", "").split("."))
        conditional = re.search(r"required (when|if) is_all_product", match.group(4)) is not None
        fields.append(DocField(path, "body", match.group(3) == "yes", conditional))
    codes_text = section(text, "# Return code", None, what).splitlines()
    if len(codes_text) < 3 or "返回码" not in codes_text[1]:
        raise VendorDocError(f"{what}: return code table header not recognised", at="# Return code")
    codes = error_rows(codes_text[3:], r"\| (-?\d+) \| (.+) \|", what)
    return [DocOperation(what, method.group(1), url.group(1), tuple(fields), codes)]

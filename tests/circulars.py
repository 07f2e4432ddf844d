"""A minimal circular input for render tests that sweep body lengths and shapes: one
issuer (某某市卫生局), number 某卫〔2024〕N号, dated 2024-03-01; ``tail`` adds fields
(印章, 附注, 抄送 …) as YAML lines."""

from __future__ import annotations

ISSUER = "某某市卫生局"


def circular_yaml(number: int, body: list[str], title: str = "关于做好年度工作的通知", tail: str = "") -> str:
    lines = "\n".join(f"  {paragraph}" for paragraph in body)
    return f"""文种: 通知
发文机关:
  名称: {ISSUER}
  代字: 某卫
发文字号:
  年份: 2024
  序号: {number}
标题: {title}
主送: 各区县卫生局
正文: |
{lines}
署名: {ISSUER}
成文日期: 2024-03-01
{tail}"""

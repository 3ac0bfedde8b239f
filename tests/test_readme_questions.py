"""The README's researcher questions, answered from the exported CSVs alone, as written there.

The pandas block and each DuckDB query of README.md's "Questions the CSVs answer" section run
on the data package of cases/; the answers are the figures of the five articles.
"""

from __future__ import annotations

import os
import re

import duckdb
import pytest

from generator.export import package_files
from generator.validate import validate_paths

from .conftest import CASES, ROOT

LANGAO = "langao-first-secretary-team-service"
QIANNAN = "qiannan-village-work-teams"
GAOZHOU = "gaozhou-village-assistance-teams"


def blocks() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Questions the CSVs answer\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(\w+)\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    report = validate_paths([CASES])
    assert report.ok, [str(p) for p in report.errors]
    folder = tmp_path_factory.mktemp("data")
    for name, data in package_files(report.cases).items():
        (folder / name).write_bytes(data)
    return folder


def test_the_section_has_one_pandas_block_and_four_queries():
    assert [lang for lang, _ in blocks()] == ["python", "sql", "sql", "sql", "sql"]


@pytest.fixture(scope="module")
def pandas_answers(package):
    code = blocks()[0][1]
    namespace: dict = {}
    here = os.getcwd()
    os.chdir(package)
    try:
        exec(compile(code, "README.md", "exec"), namespace)  # the README's own code
    finally:
        os.chdir(here)
    return namespace


def _query(package, code: str) -> list[tuple]:
    with duckdb.connect() as db:
        db.execute(f"SET file_search_path = '{package.as_posix()}'")
        return db.sql(code).fetchall()


def test_total_achieved_sales_per_case(pandas_answers, package):
    # 帮销农特产品400余万元: more than 4,000,000, so the total is a lower bound; Zuolong's spring
    # tea (40余万元) is one town's figure without the code, not added.
    assert pandas_answers["sales"].to_dict("index") == {
        LANGAO: {"value": 4000000, "qualifiers": "plus", "total_is": "lower bound"}}
    assert _query(package, blocks()[1][1]) == [(LANGAO, 4000000, "plus", "lower bound")]


def test_a_total_of_just_under_figures_is_an_upper_bound(package, tmp_path):
    """帮销农特产品近千万元 (just_under) and 选派第一书记近百名: the totals are below 10,000,000 and
    below 100, and say so; an exact and an approximately figure make an approximate total."""
    import pandas as pd

    metrics = pd.read_csv(package / "metrics.csv", dtype={"as_of": str}, keep_default_na=False,
                          na_values=[""])
    sales = metrics[(metrics["case_id"] == LANGAO) & (metrics["indicator_code"] == "sales_helped")
                    & metrics["part_of"].isna() & metrics["metric_scope"].isna()].iloc[[0]]
    secretaries = metrics[(metrics["case_id"] == LANGAO)
                          & (metrics["indicator_code"] == "first_secretaries")].iloc[[0]]
    rows = [sales.assign(case_id="x-near", value=10_000_000, qualifier="just_under"),
            secretaries.assign(case_id="x-near", value=100, qualifier="just_under"),
            sales.assign(case_id="x-about", value=1_000_000, qualifier="exact"),
            sales.assign(case_id="x-about", value=2_000_000, qualifier="approximately"),
            sales.assign(case_id="x-mixed", value=1_000_000, qualifier="plus"),
            sales.assign(case_id="x-mixed", value=2_000_000, qualifier="just_under")]
    pd.concat(rows).to_csv(tmp_path / "metrics.csv", index=False)
    namespace: dict = {}
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(compile(blocks()[0][1], "README.md", "exec"), namespace)
    finally:
        os.chdir(here)
    assert namespace["sales"].to_dict("index") == {
        "x-about": {"value": 3000000, "qualifiers": "approximately, exact", "total_is": "about"},
        "x-mixed": {"value": 3000000, "qualifiers": "just_under, plus",
                    "total_is": "mixed: read the rows"},
        "x-near": {"value": 10000000, "qualifiers": "just_under", "total_is": "upper bound"}}
    assert namespace["secretaries"].to_dict("index") == {
        "x-near": {"value": 100, "qualifiers": "just_under", "total_is": "upper bound"}}
    assert _query(tmp_path, blocks()[1][1]) == [
        ("x-about", 3000000, "approximately, exact", "about"),
        ("x-mixed", 3000000, "just_under, plus", "mixed: read the rows"),
        ("x-near", 10000000, "just_under", "upper bound")]
    assert _query(tmp_path, blocks()[2][1]) == [("x-near", 100, "just_under", "upper bound")]


def test_whole_program_figures_leave_out_one_village_or_unit(pandas_answers):
    """`whole` drops figures with a metric_scope: one factory's 60 jobs are not added to
    yanzhou's 500, one village's 9,000,000 yuan secured is not a qiannan total, and one
    office's 6 paired branches not to gaozhou's 108 units."""
    whole = pandas_answers["whole"]
    assert whole["metric_scope"].isna().all()

    def total(code):
        return whole[whole["indicator_code"] == code].groupby("case_id")["value"].sum().to_dict()

    assert total("jobs") == {LANGAO: 2100, "yanzhou-first-secretary-alliance": 500}
    # qiannan's 涉及资金4.57亿元 is the secured projects' funds, not funds secured: no code (second review).
    assert total("funds_secured") == {}
    assert total("units_paired") == {GAOZHOU: 108}
    for query in blocks()[1:3]:
        assert "metric_scope IS NULL" in query[1]


def test_first_secretaries_per_case(pandas_answers, package):
    # 针对省市县派驻岚皋的97名驻村第一书记 (the per-team "1名第一书记" rules are not counted).
    assert pandas_answers["secretaries"].to_dict("index") == {
        LANGAO: {"value": 97, "qualifiers": "exact", "total_is": "exact"}}
    assert _query(package, blocks()[2][1]) == [(LANGAO, 97, "exact", "exact")]


def test_which_figures_are_targets(pandas_answers, package):
    # 茂名今年要打造114条典型村; 今年,高州的目标是打造31条典型村; (岚皋) 决定把…铁皮石斛产业延伸到临近
    # 三个村; (黔南) 督促…任期内带头创办1个农村经济组织或者引进1个市场主体 (two figures, either/or).
    want = [(GAOZHOU, 114, "planned"), (GAOZHOU, 31, "planned"), (LANGAO, 3, "in_progress"),
            (QIANNAN, 1, "in_progress"), (QIANNAN, 1, "in_progress")]
    targets = pandas_answers["targets"]
    assert list(zip(targets["case_id"], targets["value"], targets["status"], strict=True)) == want
    assert [(r[0], r[2], r[6]) for r in _query(package, blocks()[3][1])] == want
    assert set(targets["qualifier"]) == {"exact"}


def test_which_figures_are_per_team_or_per_person(pandas_answers, package):
    per_head = pandas_answers["per_head"]
    rows = set(zip(per_head["case_id"], per_head["value"], per_head["unit"], per_head["denominator"],
                   per_head["per"].fillna(""), per_head["claim_type"], strict=True))
    # 县财政每年为每个服务队预算2万元工作经费; 兑现驻村干部每月1100元生活补助;
    # 落实第一书记每人每年2万元的工作经费.
    assert {(LANGAO, 20000, "cny", "team", "year", "input"),
            (QIANNAN, 1100, "cny", "person", "month", "input"),
            (QIANNAN, 20000, "cny", "person", "year", "input")} <= rows
    assert set(per_head["denominator"]) == {"team", "person"}
    queried = _query(package, blocks()[4][1])
    assert len(queried) == len(per_head)
    assert {(r[0], r[2], r[4], r[5], r[6] or "", r[7]) for r in queried} == rows
    assert {r[3] for r in queried} == set(per_head["qualifier"])

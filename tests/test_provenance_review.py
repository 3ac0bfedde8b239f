"""Quotes verified for every new case: the kinds a fresh provenance reviewer found (issue 15 review).

Each test sets up a project (cases/ + sources/) the way a contributor would and runs
`casebook validate` in its own process, asserting the exact lines. Kinds: a snapshot under a
near name or in a subfolder (skipped without a word before), characters no article shows,
a quote that names no source in a case with several, look-alike characters, a placeholder
title, a case describing its source otherwise than its stored copy, the same text stored
twice, and a quote too short to prove anything (tests/fixtures/invalid/quote-too-short).
"""

from __future__ import annotations

import hashlib
import shutil

from .test_untrusted_sources import project, replace_line, run

CASE = "cases/langao-fixture-mini.yaml"
TXT = "sources/langao-fixture-source.txt"
META = "sources/langao-fixture-source.yaml"
PEOPLE_QUOTE = "    quote: 南宫山镇宏大村的驻村第一书记邹天宁是建行陕西分行派驻的"
NOT_A_SNAPSHOT = ("is not a snapshot file: snapshots are named `<source id>.txt` (the text) and "
                  "`<source id>.yaml` (what the copy shows), in lower case (`{}`?); rename it if it "
                  "is one, otherwise move it out of the snapshot folder (it was not read)")
ADVICE = ("coordinates", "summary_en", "title_en")  # the fixture's own advice, beside the point here


def validate(work) -> tuple[int, list[str]]:
    code, out = run(work, "validate")
    return code, [line for line in out if not any(word in line for word in ADVICE)]


def test_a_snapshot_under_a_near_name_is_an_error_not_a_silent_skip(tmp_path):
    work = project(tmp_path)
    (work / TXT).rename(work / "sources/langao-fixture-source.TXT")
    assert validate(work) == (1, [
        "sources/langao-fixture-source.TXT:1:1: " + NOT_A_SNAPSHOT.format("langao-fixture-source.txt"),
        "sources/langao-fixture-source.yaml:1:1: snapshot metadata without its text: put the article's "
        "text in sources/langao-fixture-source.txt (or, when the text was removed on request, say so in "
        "`removed:`, see sources/README.md)",
        "1 file(s) checked: 2 error(s) in 2 file(s), 0 warning(s)"])


def test_every_other_file_in_the_snapshot_folder_is_named(tmp_path):
    work = project(tmp_path)
    (work / "sources/x.txt.txt").write_text("文章", encoding="utf-8")  # Windows hides known extensions
    (work / "sources/x.md").write_text("文章", encoding="utf-8")
    (work / "sources/sub").mkdir()
    (work / "sources/.DS_Store").write_text("", encoding="utf-8")
    (work / "sources/README.md").write_text("说明", encoding="utf-8")  # allowed
    assert validate(work) == (1, [
        "sources/.DS_Store:1:1: warning: not a snapshot (an editor's or the system's hidden or backup "
        "file?); it is not read",
        "sources/sub:1:1: is a folder; snapshots are files directly in the snapshot folder "
        "(sources/<source id>.txt and sources/<source id>.yaml): move them up, or the folder out "
        "(nothing in it is read)",
        "sources/x.md:1:1: " + NOT_A_SNAPSHOT.format("x.txt"),
        "sources/x.txt.txt:1:1: " + NOT_A_SNAPSHOT.format("x.txt"),
        "1 file(s) checked: 3 error(s) in 3 file(s), 1 warning(s)"])


def test_characters_no_article_shows_are_named_where_they_are_in_the_snapshot(tmp_path):
    work = project(tmp_path)
    text = (work / TXT).read_text(encoding="utf-8")
    at = text.index("南宫山镇宏大村的驻村第一书记")
    (work / TXT).write_text(text[:at] + "\x00" + text[at:at + 3] + "\u200b" + text[at + 3:] + "\u2028end\n",
                            encoding="utf-8")
    code, out = validate(work)
    assert code == 1
    fix = "then update `sha256` and say so in `cleaning`"
    refused = ("is not allowed in a source snapshot: no article shows it, and a quote copied from the "
               f"article cannot match it; delete it (or make it a normal line break), {fix}")
    assert out[:4] == [
        # The true quote across the invisible character: the advice is to clean the copy, not to
        # copy the quote again (which can never bring back a character nobody sees).
        f"{CASE}:100:12: the quote is not in {TXT}, the stored copy of its source; nearest passage: "
        "“南宫山\\u200b镇宏大村的驻村第一书记邹天宁是建行陕西分行派驻的”; the stored copy has the invisible "
        "character U+200B (zero width space) there, which a copied quote does not keep: if the article "
        f"does not show it, delete it from {TXT} ({fix}) [$.people[0].quote]",
        f"{TXT}:47:1: U+0000 (null) {refused}",
        f"{TXT}:47:5: warning: invisible character U+200B (zero width space): a quote copied from the "
        "article will not have it, so a quote across it does not match; if the article does not show "
        f"it, delete it, {fix}",
        f"{TXT}:59:8: U+2028 (line separator) {refused}",
    ]


def _two_sources(work, *, second_snapshot: bool) -> None:
    """The term's quote loses its `source` and a letter (团 → 队); a second source is added."""
    case = work / CASE
    term = "        quote: 县上成立了由县委副书记任总团长的县级服务团\n"
    replace_line(case, term + "        source: langao-fixture-source\n", term.replace("服务团", "服务队"))
    text = case.read_text(encoding="utf-8")
    block = text[text.index("sources:\n  - id: langao-fixture-source") + len("sources:\n"):]
    case.write_text(text + block.replace("langao-fixture-source", "langao-fixture-other"), encoding="utf-8")
    if second_snapshot:
        for suffix in (".txt", ".yaml"):
            shutil.copy(work / f"sources/langao-fixture-source{suffix}",
                        work / f"sources/langao-fixture-other{suffix}")
        other_text = work / "sources/langao-fixture-other.txt"
        with other_text.open("a", encoding="utf-8") as other:
            other.write("另一篇文章。\n")  # another text, so not the same article stored twice
        replace_line(work / "sources/langao-fixture-other.yaml",
                     "sha256: 4c64f447190c92f2114ba5e74a525e8bdf42b36e8ef10fdb6031cab2e7333172",
                     "sha256: " + hashlib.sha256(other_text.read_bytes()).hexdigest())


def test_a_quote_without_source_is_checked_against_every_stored_copy(tmp_path):
    work = project(tmp_path)
    _two_sources(work, second_snapshot=True)
    assert validate(work) == (1, [
        f"{CASE}:44:16: the quote names no `source` and is in none of the stored copies of this case's "
        f"sources ({TXT}, sources/langao-fixture-other.txt); add `source:` (one of `langao-fixture-source`, "
        "`langao-fixture-other`) and copy the quote again from it, character for character "
        "[$.models[0].terms[0].quote]",
        "1 file(s) checked: 1 error(s) in 1 file(s), 0 warning(s)"])


def test_a_quote_without_source_is_flagged_when_a_source_has_no_stored_copy(tmp_path):
    work = project(tmp_path)
    _two_sources(work, second_snapshot=False)
    code, out = validate(work)
    assert code == 0
    assert (f"{CASE}:44:16: warning: the quote names no `source`, and no stored copy of this case's "
            "sources holds it, so it is not verified; add `source:` (one of `langao-fixture-source`, "
            "`langao-fixture-other`) so that it is checked against that source "
            "[$.models[0].terms[0].quote]") in out


def test_look_alike_characters_are_named_by_code_point(tmp_path):
    work = project(tmp_path)
    replace_line(work / CASE, PEOPLE_QUOTE, PEOPLE_QUOTE.replace("第一", "第\u2f00"))  # KANGXI RADICAL ONE
    assert validate(work) == (1, [
        f"{CASE}:100:12: the quote is not in {TXT}, the stored copy of its source; nearest passage: "
        "“南宫山镇宏大村的驻村第一书记邹天宁是建行陕西分行派驻的”; the quote has “⼀” where the source has "
        "“一” (U+2F00 (kangxi radical one) in the quote; U+4E00 (cjk unified ideograph-4e00) in the "
        "source); copy the quote again from the source, character for character [$.people[0].quote]",
        "1 file(s) checked: 1 error(s) in 1 file(s), 0 warning(s)"])


def test_a_placeholder_title_is_refused_and_a_title_not_in_the_text_is_flagged(tmp_path):
    title = "title: 激活乡村“新密码”——陕西安康岚皋县第一书记“组团服务”赋能高质量发展"
    work = project(tmp_path / "placeholder")
    replace_line(work / META, title, "title: （无标题）")
    code, out = validate(work)
    assert code == 1
    assert (f"{META}:2:8: `title` “（无标题）” is a placeholder, not a title: when the copy seen shows "
            "no title, write `title_visible: false` instead") in out
    work = project(tmp_path / "invented")
    replace_line(work / META, title, "title: 完全虚构的标题")
    replace_line(work / CASE, "    " + title, "    title: 完全虚构的标题")
    code, out = validate(work)
    assert code == 0
    assert out[0] == (f"{META}:2:8: warning: `title` “完全虚构的标题” is not in {TXT}: copy the title as the "
                      "text prints it (the stored copy should include it), or write `title_visible: false` "
                      "when the copy seen shows none")


def test_a_source_described_otherwise_than_its_stored_copy(tmp_path):
    work = project(tmp_path)
    replace_line(work / CASE, "    publisher: 安康日报", "    publisher: 新华社")
    replace_line(work / CASE, "    authors: [谭迎春, 杨迁伟]", "    authors: [李四]")
    replace_line(work / CASE, '    published: "2024-08-20"', '    published: "2021-05-01"\n    url: https://example.org/x')
    differs = (f"differs from the stored copy of this source: {META} has {{}}; describe the source as "
               "that copy prints it (or store the copy that prints this)")
    assert validate(work) == (1, [
        f"{CASE}:105:16: `publisher` “新华社” " + differs.format("“安康日报”") + " [$.sources[0].publisher]",
        f"{CASE}:106:14: `authors` “李四” " + differs.format("“谭迎春, 杨迁伟”") + " [$.sources[0].authors]",
        f"{CASE}:107:16: `published` “2021-05-01” " + differs.format("“2024-08-20”")
        + " [$.sources[0].published]",
        f"{CASE}:108:10: warning: `url` “https://exa…” is not what the stored copy shows: {META} records "
        "no `url`; if the article prints it, add it there as printed, otherwise leave it out here "
        "(never a guess) [$.sources[0].url]",
        "1 file(s) checked: 3 error(s) in 1 file(s), 1 warning(s)"])


def test_a_coarser_date_and_a_shorter_publisher_agree_with_the_stored_copy(tmp_path):
    work = project(tmp_path)
    replace_line(work / CASE, '    published: "2024-08-20"', '    published: "2024"')
    replace_line(work / META, "publisher: 安康日报", "publisher: 安康日报（转载于某网站）")
    assert validate(work) == (0, ["1 file(s) checked: all valid, 3 warning(s) (advice; they do not fail)"])


def test_the_same_text_stored_for_two_sources_is_flagged(tmp_path):
    work = project(tmp_path)
    for suffix in (".txt", ".yaml"):
        shutil.copy(work / f"sources/langao-fixture-source{suffix}", work / f"sources/borrowed{suffix}")
    code, out = validate(work)
    assert code == 0
    assert out[0] == (f"{TXT}:1:1: warning: has the same text as sources/borrowed.txt: if both are the same "
                      "article (cited by two cases), keep the copies identical and remove both if it is "
                      "taken down; otherwise one of them holds the wrong article's text")


# ---------------------------------------------------------------------------------------
# Second review round: a quote in its stored copy that still does not say what it is used for.

TITLE = "激活乡村“新密码”——陕西安康岚皋县第一书记“组团服务”赋能高质量发展"


def test_a_figure_quoted_without_its_qualifier_is_refused(tmp_path):
    work = project(tmp_path)
    replace_line(work / CASE, "    value: 4000000\n    unit: cny\n    qualifier: plus",
                 "    value: 400\n    unit: cny\n    qualifier: exact")
    replace_line(work / CASE, "    quote: 帮销农特产品400余万元", "    quote: 帮销农特产品400")
    assert validate(work) == (1, [
        f"{CASE}:79:12: the quote stops right before “余”, which {TXT} prints after it: the figure is read "
        "from the quote alone, so quote it with “余” and check the figure again (a qualifier or a per-unit "
        "word changes what the figure means) [$.metrics[0].quote]",
        "1 file(s) checked: 1 error(s) in 1 file(s), 0 warning(s)"])


def test_a_persons_quote_names_the_person(tmp_path):
    work = project(tmp_path)
    replace_line(work / CASE, "  - name: 邹天宁", "  - name: 王五")
    assert validate(work) == (1, [
        f"{CASE}:100:12: the quote does not name 王五: quote the passage of the source that names this "
        "person (a case lists only people its sources name) [$.people[0].quote]",
        "1 file(s) checked: 1 error(s) in 1 file(s), 0 warning(s)"])


def test_punctuation_does_not_count_towards_a_quotes_length(tmp_path):
    work = project(tmp_path)
    replace_line(work / CASE, "    quote: 建立农特产品联销制度", '    quote: "组”的“"')
    assert validate(work) == (1, [
        f"{CASE}:68:12: the quote “组”的“” has 2 letter(s) or digit(s), at least 4: copy the words that "
        "state the fact, not punctuation or page furniture [$.practices[0].quote]",
        "1 file(s) checked: 1 error(s) in 1 file(s), 0 warning(s)"])


def test_a_short_quote_found_many_times_points_to_no_passage(tmp_path):
    work = project(tmp_path)
    replace_line(work / CASE, "    quote: 建立农特产品联销制度", "    quote: 第一书记")
    code, out = validate(work)
    assert code == 0
    assert (f"{CASE}:68:12: warning: the quote occurs 34 times in {TXT}, so it points to no one passage: "
            "quote the sentence that states the fact [$.practices[0].quote]") in out


def test_a_fragment_of_the_publisher_does_not_agree_with_it(tmp_path):
    work = project(tmp_path)
    replace_line(work / CASE, "    publisher: 安康日报", "    publisher: 安康")
    assert validate(work) == (1, [
        f"{CASE}:105:16: `publisher` “安康” differs from the stored copy of this source: {META} has "
        "“安康日报”; describe the source as that copy prints it (or store the copy that prints this) "
        "[$.sources[0].publisher]",
        "1 file(s) checked: 1 error(s) in 1 file(s), 0 warning(s)"])


def test_a_title_the_stored_copy_does_not_show_is_refused(tmp_path):
    work = project(tmp_path)
    replace_line(work / META, f"title: {TITLE}", "title_visible: false")
    assert validate(work) == (1, [
        f"{CASE}:104:12: `title` “激活乡村“新密码”——…” is not printed in the stored copy of this source "
        f"({META} says `title_visible: false`): leave the title out, or store the copy that prints it "
        "[$.sources[0].title]",
        "1 file(s) checked: 1 error(s) in 1 file(s), 0 warning(s)"])


def test_two_titles_that_differ_at_the_end_are_shown_where_they_differ(tmp_path):
    work = project(tmp_path)
    replace_line(work / CASE, f"    title: {TITLE}", "    title: " + TITLE.replace("高质量发展", "乡村振兴"))
    assert validate(work)[1][0] == (
        f"{CASE}:104:12: `title` “…务”赋能乡村振兴” differs from the stored copy of this source: {META} has "
        "“…务”赋能高质量发展”; describe the source as that copy prints it (or store the copy that prints "
        "this) [$.sources[0].title]")


def test_more_placeholder_titles_are_refused(tmp_path):
    for i, placeholder in enumerate(("未显示标题", "暂无标题", "原文无标题", "未命名", "—")):
        work = project(tmp_path / str(i))
        replace_line(work / META, f"title: {TITLE}", f"title: {placeholder}")
        code, out = validate(work)
        assert code == 1
        assert any(line.startswith(f"{META}:2:8: `title` “{placeholder}” is ") for line in out), out


def test_a_quote_across_a_line_break_is_told_how_to_write_it(tmp_path):
    work = project(tmp_path)
    text = (work / TXT).read_text(encoding="utf-8")
    at = text.index("南宫山镇宏大村的驻村第一书记") + 7
    (work / TXT).write_text(text[:at] + "\n" + text[at:], encoding="utf-8")
    code, out = validate(work)
    assert out[0] == (
        f"{CASE}:100:12: the quote is not in {TXT}, the stored copy of its source; nearest passage: "
        "“南宫山镇宏大村\\n的驻村第一书记邹天宁是建行陕西分行派驻的”; the quote leaves out a line break; "
        "write the quote in double quotes with \\n where the source breaks the line, or quote one line "
        "[$.people[0].quote]")


def test_a_text_removed_on_request_is_recorded_and_not_asked_for_again(tmp_path):
    work = project(tmp_path)
    (work / TXT).unlink()
    (work / META).write_text('removed: "2026-11-30, at the publisher\'s request (issue 99)"\n',
                             encoding="utf-8")
    code, out = validate(work)
    assert code == 0
    assert (f"{CASE}:103:5: warning: source `langao-fixture-source`'s stored copy was removed (2026-11-30, "
            "at the publisher's request (issue 99)): quotes of this source are not verified "
            "[$.sources[0]]") in out


def test_a_snapshot_under_a_near_id_is_pointed_out(tmp_path):
    work = project(tmp_path)
    for suffix in (".txt", ".yaml"):
        (work / f"sources/langao-fixture-source{suffix}").rename(
            work / f"sources/langao-fixture-sourse{suffix}")
    code, out = validate(work)
    assert code == 0
    assert (f"{CASE}:103:5: warning: source `langao-fixture-source` has no snapshot: quotes of this source "
            "are not verified; add its text as sources/langao-fixture-source.txt with "
            "sources/langao-fixture-source.yaml (see sources/README.md); "
            "sources/langao-fixture-sourse.txt is there: if it is this source's text, name both files "
            "after the source id [$.sources[0]]") in out


def test_a_publisher_or_author_the_text_does_not_print_and_a_copy_retrieved_before_publication(tmp_path):
    work = project(tmp_path)
    replace_line(work / META, "publisher: 安康日报", "publisher: 人民日报")
    replace_line(work / META, "authors: [谭迎春, 杨迁伟]", 'authors: [谭迎春, 张三]\nretrieved: "2024-01-01"')
    replace_line(work / CASE, "    publisher: 安康日报", "    publisher: 人民日报")
    replace_line(work / CASE, "    authors: [谭迎春, 杨迁伟]", "    authors: [谭迎春, 张三]")
    code, out = validate(work)
    assert code == 1
    assert out[:3] == [
        f"{META}:3:12: warning: `publisher` “人民日报” is not in {TXT}: record the publisher the copy prints",
        f"{META}:4:16: warning: author “张三” is not in {TXT}: record the names the copy prints",
        f"{META}:5:12: `retrieved` 2024-01-01 is before `published` 2024-08-20: a text cannot be copied "
        "before it appeared"]

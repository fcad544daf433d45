"""Makes the Word and Excel fixtures of the import tests with python-docx and
openpyxl, so that jixiao is tested on documents written by other tools.

The files are committed; this script is only needed to change them:

    pip install python-docx==1.2.0 openpyxl==3.1.5
    python3 tests/data/import/make_fixtures.py

With LibreOffice installed (`soffice`, e.g. Debian's libreoffice-writer-nogui
and libreoffice-calc-nogui 7.4), it also saves copies through LibreOffice
into libreoffice/: the same documents as another office suite writes them
(its own styles, numbering and, for formula.xlsx, the calculated result).
"""

import datetime
import os
import shutil
import subprocess

import docx
from docx.shared import Pt
import openpyxl
from openpyxl.styles import Alignment

from office import fixed_timestamps, rc, resave

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED = datetime.datetime(2022, 3, 1, 9, 0, 0)


def report_docx(path):
    d = docx.Document()
    d.core_properties.created = FIXED
    d.core_properties.modified = FIXED
    d.core_properties.author = "浮梁县财政局"
    d.add_heading("浮梁县财政局2022年度部门整体支出绩效自评报告", level=0)
    d.add_heading("一、部门基本情况", level=1)
    d.add_heading("（一）部门概况", level=2)
    d.add_paragraph("浮梁县财政局是县政府主管财政收支、财税政策的工作部门，内设股室12个。")
    d.add_heading("（二）部门预算及执行情况", level=2)
    d.add_paragraph(
        "2022年度部门年初预算数为1200.50万元，调整后预算数为1350.00万元，"
        "全年执行数为1282.50万元，预算执行率为96.00%。"
    )
    d.add_heading("二、部门整体支出绩效实现情况", level=1)
    d.add_paragraph("经自评，部门整体支出绩效自评得分为93分，绩效评级为“优”。")
    d.add_paragraph("表1 各部分指标得分情况汇总表")
    rows = [
        ["各部分指标得分情况汇总表（单位：分）", "", "", "", ""],
        ["一级指标", "权重分", "得分", "得分率", "扣分原因"],
        ["决策", "20", "20", "100%", ""],
        ["过程", "20", "17", "85%", "资金支付进度偏慢，部分产出指标未按期完成"],
        ["产出", "40", "37", "92.5%", ""],
        ["效益", "20", "19", "95%", ""],
        ["合计", "100", "93", "93%", ""],
    ]
    t = d.add_table(rows=len(rows), cols=5)
    t.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                t.cell(r, c).text = text
    # A caption row across the table, and one reason for two rows.
    t.cell(0, 0).merge(t.cell(0, 4))
    t.cell(3, 4).merge(t.cell(4, 4))
    d.add_heading("三、存在的问题及改进措施", level=1)
    d.add_heading("（一）存在的问题", level=2)
    d.add_paragraph("1.预算编制不够精准。年中追加资金较多，调整幅度偏大。")
    d.add_paragraph("2.绩效目标设置不够细化。部分指标难以量化考核。")
    d.add_heading("（二）改进措施", level=2)
    # Word numbers these itself: "1." and "2." are not in the text.
    d.add_paragraph("提高预算编制精准度。加强项目前期论证，减少年中追加。", style="List Number")
    d.add_paragraph("细化绩效目标设置。将绩效目标分解为可量化的指标。", style="List Number")
    d.add_heading("四、绩效自评结果应用和公开情况", level=1)
    for p in d.paragraphs:
        for run in p.runs:
            run.font.size = Pt(12)
    d.add_paragraph("自评结果将在部门网站公开，并作为下年度预算安排的参考。")
    d.save(path)


# The 项目支出绩效自评表 as cells and merged ranges, written both as an Excel
# sheet and as a Word table (departments use either).
CELLS = {
    "A1": "项目支出绩效自评表",
    "A2": "（2021年度）",
    "A3": "项目名称",
    "C3": "农村义务教育学生营养改善计划",
    "A4": "主管部门",
    "C4": "浮梁县教育体育局",
    "F4": "实施单位",
    "G4": "浮梁县教育体育局",
    "A5": "项目资金（万元）",
    "D5": "年初预算数",
    "E5": "全年预算数",
    "F5": "全年执行数",
    "G5": "分值",
    "H5": "执行率",
    "I5": "得分",
    "C6": "年度资金总额",
    "D6": 500,
    "E6": 520,
    "F6": 494,
    "G6": 10,
    "H6": 0.95,
    "I6": 9.5,
    "C7": "其中：当年财政拨款",
    "D7": 450,
    "E7": 470,
    "F7": 450,
    "C8": "其他资金",
    "D8": 50,
    "E8": 50,
    "F8": 44,
    "A9": "年度总体目标",
    "B9": "预期目标",
    "F9": "实际完成情况",
    "B10": "为全县义务教育阶段学生提供营养膳食补助，受益学生不少于12000人。",
    "F10": "全年为12350名学生提供营养膳食补助。",
    "A11": "绩效指标",
    "B11": "一级指标",
    "C11": "二级指标",
    "D11": "三级指标",
    "E11": "年度指标值",
    "F11": "实际完成值",
    "G11": "分值",
    "H11": "得分",
    "I11": "偏差原因分析及改进措施",
    "B12": "产出指标",
    "C12": "数量指标",
    "B16": "效益指标",
    "B18": "满意度指标",
    "A19": "总分",
    "G19": 100,
    "H19": 99.5,
}
INDICATORS = [
    (12, None, "受益学生人数", "≥12000人", "12350人", 15, 15),
    (13, None, "供餐学校覆盖率", "100%", "100%", 15, 15),
    (14, "质量指标", "食品安全事故", "0起", "0起", 10, 10),
    (15, "时效指标", "资金拨付及时率", "≥95%", "90%", 10, 8),
    (16, "社会效益指标", "学生营养健康水平", "逐步提升", "有所提升", 20, 20),
    (17, "可持续影响指标", "长效机制建立", "建立", "已建立", 10, 10),
    (18, "服务对象满意度指标", "家长满意度", "≥90%", "93%", 10, 12),
]
for r, level2, name, target, actual, weight, score in INDICATORS:
    if level2:
        CELLS[f"C{r}"] = level2
    CELLS.update({f"D{r}": name, f"E{r}": target, f"F{r}": actual, f"G{r}": weight, f"H{r}": score})
MERGES = [
    "A1:I1", "A2:I2", "A3:B3", "C3:I3", "A4:B4", "C4:E4", "G4:I4", "A5:B8",
    "A9:A10", "B9:E9", "F9:I9", "B10:E10", "F10:I10", "A11:A18",
    "B12:B15", "C12:C13", "B16:B17", "A19:F19",
]
PERCENT = {"H6"}


def self_eval_xlsx(path, formulas=False, second_project=False):
    """The 自评表 as a sheet; with `formulas`, 执行率 is the formula
    =F6/E6, which openpyxl saves without a calculated result; with
    `second_project`, a second sheet holds another project's 自评表."""
    wb = openpyxl.Workbook()
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    ws = wb.active
    ws.title = "自评表"
    fill_sheet(ws, formulas)
    if second_project:
        other = wb.create_sheet("项目二")
        fill_sheet(other, False)
        other["C3"] = "义务教育薄弱环节改善项目"
        other["H12"] = 1
    wb.save(path)


def fill_sheet(ws, formulas):
    for ref, value in CELLS.items():
        ws[ref] = value
        ws[ref].alignment = Alignment(wrap_text=True, vertical="center")
        if ref in PERCENT:
            ws[ref].number_format = "0.00%"
    if formulas:
        ws["H6"] = "=F6/E6"
    for m in MERGES:
        ws.merge_cells(m)


def self_eval_docx(path):
    d = docx.Document()
    d.core_properties.created = FIXED
    d.core_properties.modified = FIXED
    t = d.add_table(rows=19, cols=9)
    t.style = "Table Grid"
    for ref, value in CELLS.items():
        r, c = rc(ref)
        if ref in PERCENT:
            value = f"{value * 100:.2f}%"
        t.cell(r, c).text = str(value)
    for m in MERGES:
        a, b = m.split(":")
        t.cell(*rc(a)).merge(t.cell(*rc(b)))
    d.save(path)


def seed_as_word(command, tmp):
    """The seed text as a Word document of one paragraph per line, as a
    report pasted from a PDF into Word looks."""
    seed = os.path.join(HERE, "..", "..", "..", "examples", "jingdezhen-education-2021.txt")
    shutil.copy(seed, os.path.join(tmp, "seed.txt"))
    subprocess.run(
        [command, "--headless", "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", tmp, os.path.join(tmp, "seed.txt")],
        check=True,
        capture_output=True,
    )
    shutil.copy(os.path.join(tmp, "seed.docx"), os.path.join(HERE, "libreoffice", "seed.docx"))


if __name__ == "__main__":
    report_docx(os.path.join(HERE, "report.docx"))
    self_eval_xlsx(os.path.join(HERE, "self-eval.xlsx"))
    self_eval_docx(os.path.join(HERE, "self-eval.docx"))
    self_eval_xlsx(os.path.join(HERE, "formula.xlsx"), formulas=True)
    self_eval_xlsx(os.path.join(HERE, "two-projects.xlsx"), second_project=True)
    for name in ["report.docx", "self-eval.xlsx", "self-eval.docx", "formula.xlsx", "two-projects.xlsx"]:
        fixed_timestamps(os.path.join(HERE, name), FIXED)
    resave(["report.docx", "self-eval.docx", "self-eval.xlsx", "formula.xlsx"], HERE,
           os.path.join(HERE, "libreoffice"), extra=seed_as_word)

"""Makes the corpus of realistic submissions the import is tested on: Word
部门整体支出绩效自评报告 and Excel 项目支出绩效自评表 written the way county
departments write them — explanations in the sentence next to the figures,
deductions explained in the text under the score table, problems and
measures numbered （一）, 1、, （1） or ①, as headings or as paragraphs, the
national 自评表 with its leading 绩效指标 column and its 项目资金 block, the
Sichuan variant with 指标性质 and 未完成原因分析 and its 存在问题/改进措施
rows, a 自评表 that gives its year only as 填报日期. What each document
should give is in cases.toml beside this script (tests/corpus.rs checks it).

The files are committed; this script is only needed to change them:

    pip install python-docx==1.2.0 openpyxl==3.1.5
    python3 tests/data/import/corpus/make_corpus.py [NAME ...]

(Names given, only those documents are made again.)

With LibreOffice installed (`soffice`; Debian's libreoffice-writer-nogui and
libreoffice-calc-nogui), every document is also saved again through it into
libreoffice/, which must give the same findings.
"""

import datetime
import os
import sys

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
import openpyxl
from openpyxl.styles import Alignment

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from office import fixed_timestamps, rc, resave  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED = datetime.datetime(2023, 3, 1, 9, 0, 0)


def new_doc():
    d = docx.Document()
    d.core_properties.created = FIXED
    d.core_properties.modified = FIXED
    style = d.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(16)
    return d


def title(d, text):
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(text)
    r.bold = True
    r.font.size = Pt(22)
    return p


def para(d, text):
    p = d.add_paragraph(text)
    p.paragraph_format.first_line_indent = Pt(32)
    return p


def table(d, rows, merges=()):
    t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    t.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text != "":
                t.cell(r, c).text = str(text)
    for (a, b) in merges:
        t.cell(*a).merge(t.cell(*b))
    return t


# --------------------------------------------------------------- Word

def w01_prose_explained(path):
    """Every explanation is in the prose: the adjustment as a clause of the
    budget sentence, the low rate in the sentence after it, deductions in
    the paragraph under the score table (which has no 扣分原因 column);
    problems and measures numbered （一）（二） as plain paragraphs under
    三、/四、 headings (styled headings)."""
    d = new_doc()
    title(d, "浮梁县交通运输局2022年度部门整体支出绩效自评报告")
    d.add_heading("一、部门概况", level=1)
    d.add_heading("（一）部门职能", level=2)
    para(d, "浮梁县交通运输局是县政府主管全县交通运输工作的职能部门，内设股室6个，下属事业单位3个。")
    d.add_heading("（二）部门预算及执行情况", level=2)
    para(d, "2022年度，本部门年初预算数为3120.50万元；年中追加农村公路养护专项资金120.5万元，"
            "调整后预算数为3241.00万元，全年执行数为2852.08万元，预算执行率为88.00%。"
            "执行率偏低的主要原因是部分农村公路提质改造项目因雨季延期开工，相关资金结转下年使用。")
    d.add_heading("二、部门整体支出绩效实现情况", level=1)
    para(d, "经自评，部门整体支出绩效自评得分为92分，绩效评级为“优”。各部分得分情况如下：")
    para(d, "表1  各部分指标得分情况汇总表")
    table(d, [
        ["一级指标", "分值", "得分", "得分率"],
        ["决策", "20", "20", "100%"],
        ["过程", "20", "19", "95%"],
        ["产出", "40", "37", "92.5%"],
        ["效益", "20", "16", "80%"],
        ["合计", "100", "92", "92%"],
    ])
    para(d, "其中过程指标扣1分，主要是个别项目资金拨付不够及时；产出指标扣3分，原因是农村公路提质改造"
            "完成率未达到年度目标；效益指标扣4分，主要是群众满意度调查样本偏少，部分路段养护质量有待提升。")
    d.add_heading("三、存在问题及原因分析", level=1)
    para(d, "（一）资金拨付不够及时。部分项目资金未能按进度拨付，影响项目推进。")
    para(d, "（二）绩效目标设置不够细化。个别指标难以量化考核，目标值设定偏保守。")
    d.add_heading("四、下一步改进措施", level=1)
    para(d, "（一）加快资金拨付进度。建立资金支付台账，按月通报支付进度。")
    para(d, "（二）细化绩效目标。将年度目标分解为可量化、可考核的三级指标。")
    d.add_heading("五、绩效自评结果拟应用和公开情况", level=1)
    para(d, "自评结果将作为下年度预算安排的重要依据，并在县政府门户网站公开。")
    d.save(path)


def w02_next_paragraph(path):
    """A title in two lines; the low rate explained in the paragraph after
    the budget sentence; a 扣分原因 column filled for one row and not for
    another (nor in the text); problems numbered 1、 and measures （1）, one
    measure fewer than problems."""
    d = new_doc()
    title(d, "乐平市农业农村局")
    title(d, "2022年度部门整体支出绩效自评报告")
    d.add_heading("一、部门基本情况", level=1)
    para(d, "乐平市农业农村局负责全市农业农村经济发展规划、农田建设和农村改革等工作。")
    d.add_heading("二、部门预算及执行情况", level=1)
    para(d, "2022年部门支出预算数为2500.00万元，全年支出决算数为2187.50万元，预算执行率为87.50%。")
    para(d, "预算执行率未达到90%，主要原因是高标准农田建设项目受汛期影响延期实施，部分资金结转下年使用。")
    d.add_heading("三、部门整体支出绩效实现情况", level=1)
    para(d, "根据评价指标体系，本部门自评得分为90分，评价等级为优。")
    table(d, [
        ["评价指标", "权重", "得分", "扣分原因"],
        ["决策", "15", "15", ""],
        ["过程", "25", "23", "部分项目政府采购程序不够规范"],
        ["产出", "35", "32", ""],
        ["效益", "25", "20", "群众满意度有待提高"],
        ["合计", "100", "90", ""],
    ])
    d.add_heading("四、存在的问题", level=1)
    para(d, "1、预算编制不够精准。部分项目前期论证不充分，年中调整较多。")
    para(d, "2、项目推进不够均衡。个别项目受天气影响进度滞后。")
    para(d, "3、绩效管理基础薄弱。专业人员不足，绩效评价质量有待提高。")
    d.add_heading("五、改进措施", level=1)
    para(d, "（1）提高预算编制精准度。加强项目前期论证，科学测算资金需求。")
    para(d, "（2）加快项目实施进度。倒排工期，按月调度项目进展。")
    d.add_heading("六、绩效自评结果应用及公开情况", level=1)
    para(d, "自评结果已报送市财政局，并按要求在部门网站公开。")
    d.save(path)


def w03_combined_section(path):
    """Problems and measures in one chapter, each under a sub-heading,
    numbered 1. in the text; the weights add up to 95."""
    d = new_doc()
    title(d, "昌江区民政局2023年度部门整体支出绩效自评报告")
    d.add_heading("一、部门概况", level=1)
    para(d, "昌江区民政局承担全区社会救助、养老服务、社会事务等职能。")
    para(d, "2023年度部门年初预算数为860.00万元，全年执行数为835.92万元，预算执行率为97.20%。")
    d.add_heading("二、绩效实现情况", level=1)
    para(d, "经评价，2023年度部门整体支出绩效自评得分为88分，绩效评级为良。")
    table(d, [
        ["一级指标", "权重分", "得分", "扣分原因"],
        ["决策", "15", "15", ""],
        ["过程", "20", "18", "个别项目资金支付滞后"],
        ["产出", "40", "37", "养老服务设施建设进度未达预期"],
        ["效益", "20", "18", "部分对象对服务时效不满意"],
        ["合计", "100", "88", ""],
    ])
    d.add_heading("三、存在的问题及改进措施", level=1)
    d.add_heading("（一）存在的问题", level=2)
    para(d, "1.资金支付进度偏慢。部分项目资金在四季度集中支付。")
    para(d, "2.服务质量有待提升。基层养老服务人员专业化程度不高。")
    d.add_heading("（二）改进措施", level=2)
    para(d, "1.加快资金支付。按季度制定支付计划并跟踪落实。")
    para(d, "2.加强人员培训。每年组织养老服务人员专业培训不少于两次。")
    d.add_heading("四、绩效自评结果应用和公开情况", level=1)
    para(d, "自评结果在区政府网站公开。")
    d.save(path)


def w04_unexplained(path):
    """The budget adjusted and the rate low, with no reason anywhere; the
    grade does not match the score; problems and measures numbered ①②."""
    d = new_doc()
    title(d, "珠山区卫生健康委员会2022年度部门整体支出绩效自评报告")
    d.add_heading("一、部门概况", level=1)
    para(d, "珠山区卫生健康委员会负责全区卫生健康事业发展和公共卫生管理。")
    para(d, "2022年度，年初预算数为1800.00万元，调整后预算数为2050.00万元，全年执行数为1640.00万元，预算执行率为80.00%。")
    d.add_heading("二、部门整体支出绩效实现情况", level=1)
    para(d, "经自评，部门整体支出绩效自评得分为86分，绩效评级为“优”。")
    table(d, [
        ["一级指标", "分值", "得分", "扣分原因"],
        ["决策", "20", "18", "部分项目绩效目标设置不够明确"],
        ["过程", "20", "17", "资金支付进度偏慢"],
        ["产出", "40", "34", "部分项目未按期完成"],
        ["效益", "20", "17", "群众满意度有待提升"],
        ["合计", "100", "86", ""],
    ])
    d.add_heading("三、存在的问题", level=1)
    para(d, "①项目实施进度偏慢。部分基层医疗机构改造项目未按期完工。")
    para(d, "②资金使用效益不高。个别项目资金沉淀。")
    d.add_heading("四、改进措施", level=1)
    para(d, "①加快项目实施。对未完工项目挂图作战，按周调度。")
    para(d, "②盘活存量资金。对沉淀资金及时收回统筹使用。")
    d.add_heading("五、绩效自评结果应用及公开情况", level=1)
    para(d, "自评结果在区政府网站公开。")
    d.save(path)


def w05_pasted_prompt(path):
    """The rate is low, and the 'explanation' under the budget figures is
    the form's own instructions pasted back, prompt and all."""
    d = new_doc()
    title(d, "浮梁县水利局2023年度部门整体支出绩效自评报告")
    d.add_heading("一、部门概况", level=1)
    para(d, "浮梁县水利局负责全县水资源管理、水利工程建设和防汛抗旱等工作。")
    d.add_heading("（一）部门预算及执行情况", level=2)
    para(d, "2023年度部门年初预算数为960.00万元，全年执行数为768.00万元，预算执行率为80.00%。")
    para(d, "执行率说明：1.预算执行率=预算执行数/调整后预算数，未达到90%的需说明原因（100字以内）；"
            "2.年中发生预算调整的（追加或调减），应单独说明理由。")
    d.add_heading("二、绩效实现情况", level=1)
    para(d, "经自评，最终评分结果为91分，绩效评级为“优”。")
    table(d, [
        ["一级指标", "权重", "得分", "扣分原因"],
        ["决策", "20", "20", ""],
        ["过程", "20", "18", "预算执行率偏低"],
        ["产出", "40", "35", "部分水利工程未按期完工"],
        ["效益", "20", "18", "工程效益尚未充分发挥"],
        ["合计", "100", "91", ""],
    ])
    d.add_heading("三、存在问题及改进措施", level=1)
    d.add_heading("（一）存在问题", level=2)
    para(d, "1.工程进度滞后。部分项目前期工作耗时较长。")
    d.add_heading("（二）改进措施", level=2)
    para(d, "1.加快前期工作。提前开展项目储备和设计审查。")
    d.add_heading("四、结果应用和公开情况", level=1)
    para(d, "自评结果按规定公开。")
    d.save(path)


def w06_items_as_headings(path):
    """Problems and measures written as numbered headings (Heading 2), each
    with its paragraph under it."""
    d = new_doc()
    title(d, "乐平市林业局2022年度部门整体支出绩效自评报告")
    d.add_heading("一、部门概况", level=1)
    para(d, "乐平市林业局负责全市林业资源保护、森林防火和生态修复等工作。")
    para(d, "2022年度部门年初预算数为650.00万元，全年执行数为630.50万元，预算执行率为97.00%。")
    d.add_heading("二、部门整体支出绩效实现情况", level=1)
    para(d, "经自评，部门整体支出绩效自评得分为95分，绩效评级为“优”。")
    table(d, [
        ["一级指标", "分值", "得分", "扣分原因"],
        ["决策", "20", "20", ""],
        ["过程", "20", "19", "个别项目验收不够及时"],
        ["产出", "40", "38", "森林抚育面积略低于目标"],
        ["效益", "20", "18", "生态效益监测体系尚不完善"],
        ["合计", "100", "95", ""],
    ])
    d.add_heading("三、存在的问题", level=1)
    d.add_heading("（一）森林防火基础设施投入不足。", level=2)
    para(d, "部分林区防火通道和瞭望设施老化，监测手段较为落后。")
    d.add_heading("（二）项目验收不够及时。", level=2)
    para(d, "个别造林项目完工后未及时组织验收，影响资金拨付。")
    d.add_heading("四、改进措施", level=1)
    d.add_heading("（一）加大防火设施投入。", level=2)
    para(d, "争取上级资金，分年度更新改造防火通道和瞭望设施。")
    d.add_heading("（二）及时组织项目验收。", level=2)
    para(d, "项目完工后一个月内组织验收，验收合格及时拨付资金。")
    d.add_heading("五、绩效自评结果应用和公开情况", level=1)
    para(d, "自评结果在市政府网站公开。")
    d.save(path)


def w07_restarted_numbering(path):
    """Problems and measures typed as plain paragraphs numbered 一、二、 under
    三、/四、 chapter headings (the numbering restarts inside the chapter);
    the budget cut during the year and overspent, both explained in the
    budget sentence."""
    d = new_doc()
    title(d, "浮梁县审计局2022年度部门整体支出绩效自评报告")
    para(d, "一、部门概况")
    para(d, "浮梁县审计局负责全县审计监督工作，内设股室5个。")
    para(d, "2022年度部门年初预算数为1200.00万元，年中调减预算80.00万元，主要是压减一般性支出，"
            "调整后预算数为1120.00万元，全年执行数为1142.40万元，预算执行率为102.00%，"
            "超出预算的主要原因是上年结转资金在本年支出。")
    para(d, "二、部门整体支出绩效实现情况")
    para(d, "经自评，部门整体支出绩效自评得分为93分，绩效评级为“优”。")
    table(d, [
        ["一级指标", "分值", "得分", "扣分原因"],
        ["决策", "20", "20", ""],
        ["过程", "20", "18", "审计项目计划调整较多"],
        ["产出", "40", "38", "个别审计项目未按期完成"],
        ["效益", "20", "17", "审计整改跟踪不够及时"],
        ["合计", "100", "93", ""],
    ])
    para(d, "三、存在问题")
    para(d, "一、审计整改跟踪不够及时。部分问题整改销号滞后。")
    para(d, "二、信息化水平不高。")
    para(d, "四、改进措施")
    para(d, "一、加强整改跟踪。建立问题清单，按月调度。")
    para(d, "二、推进审计信息化建设。")
    para(d, "五、绩效自评结果应用及公开")
    para(d, "自评结果在县政府网站公开。")
    d.save(path)


def _numbering(d, levels):
    """A list definition in the document's numbering part; returns its
    numId. `levels`: (numFmt, lvlText) per level."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    numbering = d.part.numbering_part.element
    ids = [int(a.get(docx.oxml.ns.qn("w:abstractNumId"))) for a in numbering.findall(docx.oxml.ns.qn("w:abstractNum"))]
    aid = max(ids + [0]) + 1
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">{lvls}</w:abstractNum>'))
    nums = [int(n.get(docx.oxml.ns.qn("w:numId"))) for n in numbering.findall(docx.oxml.ns.qn("w:num"))]
    nid = max(nums + [0]) + 1
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/></w:num>'))
    return nid


def numbered(d, text, num_id, level=0):
    """A paragraph numbered by Word (the number is not in its text)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    p = d.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def w08_auto_numbered(path):
    """Word's own numbering: chapter headings numbered 一、 by a list,
    problems （一） and measures 1. by lists — none of the numbers is in
    the text. An indicator table, and deductions of indicators explained
    in the prose after it, one row named twice in the sentence."""
    d = new_doc()
    title(d, "乐平市市场监督管理局2023年度部门整体支出绩效自评报告")
    chapters = _numbering(d, [("chineseCounting", "%1、")])
    problems = _numbering(d, [("chineseCounting", "（%1）")])
    measures = _numbering(d, [("decimal", "%1.")])
    numbered(d, "部门概况", chapters)
    para(d, "乐平市市场监督管理局负责全市市场综合监督管理工作。")
    para(d, "2023年度部门年初预算数为1500.00万元，全年执行数为1455.00万元，预算执行率为97.00%。")
    numbered(d, "部门整体支出绩效实现情况", chapters)
    para(d, "经自评，部门整体支出绩效自评得分为95分，绩效评级为“优”。")
    table(d, [
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "食品抽检批次", "≥2000批次", "2150批次", "30", "30"],
        ["产出指标", "质量指标", "抽检合格率", "≥97%", "96.5%", "20", "18"],
        ["产出指标", "时效指标", "投诉处理及时率", "≥95%", "98%", "20", "20"],
        ["效益指标", "社会效益指标", "食品安全事件发生数", "0起", "0起", "20", "20"],
        ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "88%", "10", "7"],
        ["合计", "", "", "", "", "100", "95"],
    ])
    para(d, "“抽检合格率”指标扣2分，主要是部分小作坊产品不合格；“群众满意度”满分10分，"
            "得分7分，扣3分，原因是投诉热线接通率偏低。")
    numbered(d, "存在的问题", chapters)
    numbered(d, "监管力量不足。基层所人员少、任务重。", problems)
    numbered(d, "智慧监管应用不够。", problems)
    numbered(d, "改进措施", chapters)
    numbered(d, "充实基层监管力量。通过招录和内部调配补充人员。", measures)
    numbered(d, "推进智慧监管平台建设。", measures)
    numbered(d, "绩效自评结果应用和公开情况", chapters)
    para(d, "自评结果在市政府网站公开。")
    d.save(path)


def w09_pasted_text(path):
    """Text copied from a government website (as the real reports are):
    tab-indented lines, ASCII brackets (一), problems 一是…二是… in one
    paragraph and measures 1.…2.… in one paragraph; a deduction in the
    text with other points than the table's."""
    lines = [
        "珠山区文化广电新闻出版旅游局",
        "2022年度部门整体支出绩效自评报告",
        "\t一、部门概况",
        "\t(一)部门职能",
        "\t珠山区文化广电新闻出版旅游局负责全区文化、广电、旅游等工作。",
        "\t(二)部门预算及执行情况",
        "\t2022年度部门年初预算数为420.00万元，全年执行数为403.20万元，预算执行率为96.00%。",
        "\t二、部门整体支出绩效实现情况",
        "\t经自评，部门整体支出绩效自评得分为90分，绩效评级为“优”。",
        "\t一级指标\t权重\t得分",
        "\t决策\t20\t20",
        "\t过程\t20\t18",
        "\t产出\t40\t36",
        "\t效益\t20\t16",
        "\t合计\t100\t90",
        "\t其中过程指标扣2分，主要是部分采购项目验收不及时；产出指标扣3分，原因是文化惠民演出场次未达目标；"
        "效益指标扣4分，主要是景区游客满意度调查覆盖面不足。",
        "\t三、存在的问题",
        "\t一是文化惠民活动覆盖面不够广，农村地区场次偏少。二是旅游宣传推介力度不足。",
        "\t四、改进措施",
        "\t1.增加农村地区惠民演出场次。2.拓宽旅游宣传渠道，加大推介力度。",
        "\t五、绩效自评结果应用和公开情况",
        "\t自评结果在区政府网站公开。",
    ]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def _both_chapter_report(path, department, chapter):
    d = new_doc()
    title(d, f"{department}2023年度部门整体支出绩效自评报告")
    d.add_heading("一、部门概况", level=1)
    para(d, f"{department}负责本行业管理工作。")
    para(d, "2023年度部门年初预算数为540.00万元，全年执行数为529.20万元，预算执行率为98.00%。")
    d.add_heading("二、部门整体支出绩效实现情况", level=1)
    para(d, "经自评，部门整体支出绩效自评得分为100分，绩效评级为“优”。")
    table(d, [
        ["一级指标", "分值", "得分"],
        ["决策", "20", "20"],
        ["过程", "20", "20"],
        ["产出", "40", "40"],
        ["效益", "20", "20"],
        ["合计", "100", "100"],
    ])
    d.add_heading("三、存在问题及改进措施", level=1)
    for text in chapter:
        para(d, text)
    d.add_heading("四、绩效自评结果应用和公开情况", level=1)
    para(d, "自评结果在县政府网站公开。")
    d.save(path)


def w11_both_labelled(path):
    """Problems and measures in one chapter, told apart by label
    paragraphs (存在的问题：… 改进措施：), the problems 一是…二是… in the label's
    own paragraph, the measures numbered 1. below theirs; one problem more
    than measures."""
    _both_chapter_report(path, "浮梁县统计局", [
        "存在的问题：一是统计数据质量有待提高，个别基层报表差错较多。二是统计信息化水平不高。三是统计人员业务能力参差不齐。",
        "改进措施：",
        "1.加强数据审核，建立基层报表质量通报制度。",
        "2.推进统计信息化建设，升级数据采集平台。",
    ])


def w12_both_renumbered(path):
    """Problems and measures in one chapter with no labels, numbered 1. 2.
    and then 1. 2. again: a reviewer reads the first run as the problems
    and the second as the measures (and jixiao says so)."""
    _both_chapter_report(path, "乐平市档案馆", [
        "1.档案数字化进度偏慢。馆藏档案数字化率仅为65%。",
        "2.库房设施老化。部分库房温湿度控制设备需更新。",
        "1.加快档案数字化。引入第三方服务，年内数字化率提高到80%。",
        "2.更新库房设施。分批更换温湿度控制设备。",
    ])


# --------------------------------------------------------------- Excel

def sheet(ws, cells, merges=(), percent=()):
    for ref, value in cells.items():
        ws[ref] = value
        ws[ref].alignment = Alignment(wrap_text=True, vertical="center")
        if ref in percent:
            ws[ref].number_format = "0.00%"
    for m in merges:
        ws.merge_cells(m)


def national(project, unit, year_line, budget, indicators, extra_rows=(), grade=None, merges_extra=()):
    """The national 项目支出绩效自评表: title, （N年度） line, identity, the
    项目资金 block, 年度总体目标, then 绩效指标 spanning the indicator rows,
    总分 and optional rows below."""
    cells = {
        "A1": "项目支出绩效自评表",
        "A3": "项目名称", "C3": project,
        "A4": "主管部门", "C4": unit, "F4": "实施单位", "G4": unit,
        "A5": "项目资金（万元）", "D5": "年初预算数", "E5": "全年预算数", "F5": "全年执行数",
        "G5": "分值", "H5": "执行率", "I5": "得分",
        "C6": "年度资金总额",
        "C7": "其中：当年财政拨款",
        "C8": "上年结转资金",
        "C9": "其他资金",
        "A10": "年度总体目标", "B10": "预期目标", "F10": "实际完成情况",
        "B11": "按计划完成项目建设任务，资金使用规范。", "F11": "按计划完成建设任务。",
        "A12": "绩效指标", "B12": "一级指标", "C12": "二级指标", "D12": "三级指标",
        "E12": "年度指标值", "F12": "实际完成值", "G12": "分值", "H12": "得分",
        "I12": "偏差原因分析及改进措施",
    }
    if year_line:
        cells["A2"] = year_line
    (initial, adjusted, executed, weight, score), sources = budget
    cells.update({"D6": initial, "E6": adjusted, "F6": executed, "G6": weight,
                  "H6": executed / adjusted, "I6": score})
    for row, values in zip((7, 8, 9), sources):
        for col, v in zip("DEF", values):
            if v is not None:
                cells[f"{col}{row}"] = v
    r = 13
    level1_rows = {}
    for level1, level2, name, target, actual, w, s, why in indicators:
        level1_rows.setdefault(level1, []).append(r)
        cells[f"C{r}"] = level2
        cells[f"D{r}"] = name
        cells[f"E{r}"] = target
        cells[f"F{r}"] = actual
        cells[f"G{r}"] = w
        cells[f"H{r}"] = s
        if why:
            cells[f"I{r}"] = why
        r += 1
    merges = ["A1:I1", "A2:I2", "A3:B3", "C3:I3", "A4:B4", "C4:E4", "G4:I4", "A5:B9",
              "A10:A11", "B10:E10", "F10:I10", "B11:E11", "F11:I11", f"A12:A{r - 1}"]
    for level1, rows in level1_rows.items():
        cells[f"B{rows[0]}"] = level1
        if len(rows) > 1:
            merges.append(f"B{rows[0]}:B{rows[-1]}")
    total_w = weight + sum(i[5] for i in indicators)
    total_s = score + sum(i[6] for i in indicators)
    cells[f"A{r}"] = "总分"
    cells[f"G{r}"] = total_w
    cells[f"H{r}"] = total_s
    merges.append(f"A{r}:F{r}")
    r += 1
    if grade:
        cells[f"A{r}"] = "自评等级"
        cells[f"C{r}"] = grade
        merges += [f"A{r}:B{r}", f"C{r}:I{r}"]
        r += 1
    for label, text in extra_rows:
        cells[f"A{r}"] = label
        cells[f"C{r}"] = text
        merges += [f"A{r}:B{r}", f"C{r}:I{r}"]
        r += 1
    return cells, merges + list(merges_extra), {"H6"}


def workbook(path, sheets, formats=None):
    wb = openpyxl.Workbook()
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    first = True
    for name, (cells, merges, percent) in sheets:
        ws = wb.active if first else wb.create_sheet(name)
        ws.title = name
        first = False
        sheet(ws, cells, merges, percent)
        for ref, fmt in (formats or {}).items():
            ws[ref].number_format = fmt
        ws.column_dimensions["D"].width = 24
    wb.save(path)


def x01_national(path):
    """The national template; the adjustment explained in a 说明 row under
    the table; one missed target explained in its column, one not."""
    cells, merges, percent = national(
        "城乡学生营养改善计划", "乐平市教育体育局", "（2021年度）",
        ((500, 520, 510, 10, 9.8), [(450, 470, 465), (20, 20, 20), (30, 30, 25)]),
        [
            ("产出指标", "数量指标", "受益学生人数", "≥12000人", "12350人", 20, 20, ""),
            ("产出指标", "质量指标", "食品安全事故", "0起", "0起", 15, 15, ""),
            ("产出指标", "时效指标", "资金拨付及时率", "≥95%", "90%", 15, 13, "部分资金因学期调整延后拨付，下年度提前拨付"),
            ("效益指标", "社会效益指标", "学生营养健康水平", "逐步提升", "有所提升", 15, 15, ""),
            ("效益指标", "可持续影响指标", "供餐学校覆盖率", "100%", "96%", 15, 15, ""),
            ("满意度指标", "服务对象满意度指标", "家长满意度", "≥90%", "93%", 10, 10, ""),
        ],
        extra_rows=[("说明", "年中追加学生营养膳食补助资金20万元，用于新增受益学生的膳食补助。")],
        grade="优",
    )
    workbook(path, [("自评表", (cells, merges, percent))])


def x02_sichuan(path):
    """The Sichuan variant: 预算执行情况 10 + 绩效指标 90, a 指标性质 column,
    the explanation column titled 未完成原因分析, and 评价结论 / 存在问题 /
    改进措施 rows still holding the form's prompts."""
    cells = {
        "A1": "2023年度项目支出绩效自评表",
        "A2": "项目名称", "C2": "乡村道路安全生命防护工程",
        "A3": "主管部门", "C3": "青神县交通运输局", "F3": "实施单位", "G3": "青神县交通运输局",
        "A4": "预算执行情况（万元）", "C4": "预算数", "D4": "执行数", "E4": "预算执行率", "F4": "分值", "G4": "得分",
        "C5": 300, "D5": 285, "E5": 0.95, "F5": 10, "G5": 9.5,
        "A6": "一级指标", "B6": "二级指标", "C6": "三级指标", "D6": "指标性质", "E6": "年度指标值",
        "F6": "实际完成值", "G6": "分值", "H6": "得分", "I6": "未完成原因分析",
        "A7": "产出指标", "B7": "数量指标", "C7": "新建防护栏长度", "D7": "≥", "E7": "30公里", "F7": "31.2公里", "G7": 20, "H7": 20,
        "B8": "质量指标", "C8": "工程验收合格率", "D8": "=", "E8": "100%", "F8": "100%", "G8": 15, "H8": 15,
        "B9": "时效指标", "C9": "完工及时率", "D9": "≥", "E9": "95%", "F9": "96%", "G9": 10, "H9": 10,
        "B10": "成本指标", "C10": "每公里建设成本", "D10": "≤", "E10": "9万元", "F10": "9.6万元", "G10": 15, "H10": 13,
        "A11": "效益指标", "B11": "社会效益指标", "C11": "交通事故下降率", "D11": "≥", "E11": "10%", "F11": "12%", "G11": 15, "H11": 15,
        "B12": "可持续影响指标", "C12": "设施使用年限", "D12": "≥", "E12": "10年", "F12": "10年", "G12": 15, "H12": 15,
        "A13": "总分", "G13": 100, "H13": 97.5,
        "A14": "评价结论", "C14": "（200字以内）",
        "A15": "存在问题", "C15": "（200字以内）",
        "A16": "改进措施", "C16": "（200字以内）",
    }
    merges = ["A1:I1", "A2:B2", "C2:I2", "A3:B3", "C3:E3", "G3:I3", "A4:B5",
              "A7:A10", "A11:A12", "A13:F13",
              "A14:B14", "C14:I14", "A15:B15", "C15:I15", "A16:B16", "C16:I16"]
    workbook(path, [("自评表", (cells, merges, {"E5"}))])


def x03_filing_date(path):
    """No year in the title: it is printed only as 填报日期 (early in the
    following year); the unit only in a 填报单位 cell."""
    cells, merges, percent = national(
        "农村公路养护工程", "乐平市交通运输局", None,
        ((200, 200, 196, 10, 9.8), [(200, 200, 196), (None, None, None), (None, None, None)]),
        [
            ("产出指标", "数量指标", "养护里程", "≥150公里", "156公里", 30, 30, ""),
            ("产出指标", "质量指标", "路况优良率", "≥80%", "85%", 20, 20, ""),
            ("效益指标", "社会效益指标", "群众出行便利度", "明显提升", "明显提升", 30, 30, ""),
            ("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "95%", 10, 10, ""),
        ],
    )
    cells["A4"] = "填报单位"
    cells["C4"] = "乐平市交通运输局（盖章）"
    cells["F4"] = "填报日期"
    cells["G4"] = "2022年2月3日"
    workbook(path, [("自评表", (cells, merges, percent))])


def x04_problem_rows(path):
    """A 自评表 with 存在问题 and 改进措施 rows: two numbered problems, one
    measure."""
    cells, merges, percent = national(
        "城区排水管网改造", "珠山区住房和城乡建设局", "（2022年度）",
        ((800, 800, 760, 10, 9.5), [(800, 800, 760), (None, None, None), (None, None, None)]),
        [
            ("产出指标", "数量指标", "改造管网长度", "≥12公里", "12.5公里", 30, 30, ""),
            ("产出指标", "时效指标", "按期完工率", "100%", "100%", 20, 20, ""),
            ("效益指标", "社会效益指标", "内涝点消除数", "≥8处", "8处", 30, 30, ""),
            ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "92%", 10, 10, ""),
        ],
        extra_rows=[
            ("存在问题", "1.项目资金拨付进度偏慢，部分工程款在年底集中支付。2.部分绩效指标设置偏低，未能充分反映项目效益。"),
            ("改进措施", "1.加快资金拨付，按工程进度及时支付。"),
        ],
        grade="优",
    )
    workbook(path, [("自评表", (cells, merges, percent))])


def x05_note_not_funds(path):
    """Anhui-style rows (问题及原因 / 下一步工作); the budget adjusted and
    the rate 86%, the 说明 row about the table rather than the funds; the
    execution score 9.0 (formatted 0.0) against 86% × 10; 填报日期 as an
    Excel date."""
    cells, merges, percent = national(
        "社区居家养老服务补助", "珠山区民政局", None,
        ((120, 150, 129, 10, 9.0), [(120, 150, 129), (None, None, None), (None, None, None)]),
        [
            ("产出指标", "数量指标", "服务老年人数", "≥800人", "820人", 30, 30, ""),
            ("产出指标", "质量指标", "服务合格率", "≥95%", "97%", 20, 20, ""),
            ("效益指标", "社会效益指标", "老年人生活质量", "有所改善", "有所改善", 30, 30, ""),
            ("满意度指标", "服务对象满意度指标", "老年人满意度", "≥90%", "94%", 10, 10, ""),
        ],
        extra_rows=[
            ("说明", "本表数据截至2022年12月31日，由项目实施单位填报。"),
            ("问题及原因", "部分社区服务站点人员流动较大，服务连续性不足。"),
            ("下一步工作", "稳定服务队伍，落实站点人员培训和考核。"),
        ],
        grade="优",
    )
    cells["A4"] = "填报单位"
    cells["C4"] = "珠山区民政局"
    cells["F4"] = "填报日期"
    cells["G4"] = datetime.datetime(2023, 1, 16)
    workbook(path, [("自评表", (cells, merges, percent))],
             formats={"G4": 'yyyy"年"m"月"d"日"', "I6": "0.0"})


def w10_national_in_word(path):
    """The national 项目支出绩效自评表 drawn as a Word table (as many
    departments submit it), title and （2022年度） as paragraphs above it;
    one target missed, with its reason in the 偏差原因分析及改进措施 column;
    the budget adjusted without a word on it."""
    cells, merges, _ = national(
        "农村饮水安全巩固提升工程", "浮梁县水利局", None,
        ((300, 330, 320, 10, 9.7), [(300, 330, 320), (None, None, None), (None, None, None)]),
        [
            ("产出指标", "数量指标", "新建供水站", "≥5座", "5座", 30, 30, ""),
            ("产出指标", "质量指标", "水质达标率", "≥95%", "93%", 20, 18, "两处水源枯水期浑浊度超标，已加装过滤设施"),
            ("效益指标", "社会效益指标", "受益人口", "≥1.2万人", "1.25万人", 30, 30, ""),
            ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", 10, 10, ""),
        ],
        grade="优",
    )
    cells["H6"] = "96.97%"
    d = new_doc()
    title(d, "项目支出绩效自评表")
    p = d.add_paragraph("（2022年度）")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    grid = {(rc(k)[0] - 2, rc(k)[1]): v for k, v in cells.items() if rc(k)[0] >= 2}
    rows = max(r for r, _ in grid) + 1
    t = d.add_table(rows=rows, cols=9)
    t.style = "Table Grid"
    for (r, c), v in grid.items():
        t.cell(r, c).text = str(v)
    for m in merges:
        a, b = (rc(x) for x in m.split(":"))
        if a[0] < 2:
            continue
        t.cell(a[0] - 2, a[1]).merge(t.cell(b[0] - 2, b[1]))
    d.save(path)


def x06_three_projects(path):
    """One workbook from one department: a 填表说明 sheet, then a 自评表 per
    project — one clean, one whose weights add up to 95, one with a missed
    target left unexplained — and an empty Sheet4."""
    first = national(
        "校园安全设施改造", "浮梁县教育体育局", "（2022年度）",
        ((200, 200, 196, 10, 9.8), [(200, 200, 196), (None, None, None), (None, None, None)]),
        [
            ("产出指标", "数量指标", "改造学校数", "≥12所", "12所", 30, 30, ""),
            ("产出指标", "质量指标", "验收合格率", "100%", "100%", 20, 20, ""),
            ("效益指标", "社会效益指标", "校园安全事故", "0起", "0起", 30, 30, ""),
            ("满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "96%", 10, 10, ""),
        ],
        grade="优",
    )
    second = national(
        "乡村教师生活补助", "浮梁县教育体育局", "（2022年度）",
        ((360, 360, 356.4, 10, 9.9), [(360, 360, 356.4), (None, None, None), (None, None, None)]),
        [
            ("产出指标", "数量指标", "补助教师人数", "≥600人", "612人", 30, 30, ""),
            ("产出指标", "时效指标", "按月发放率", "100%", "100%", 15, 15, ""),
            ("效益指标", "社会效益指标", "乡村教师流失率", "≤3%", "2.1%", 30, 30, ""),
            ("满意度指标", "服务对象满意度指标", "受助教师满意度", "≥90%", "95%", 10, 10, ""),
        ],
        grade="优",
    )
    third = national(
        "学生资助", "浮梁县教育体育局", "（2022年度）",
        ((150, 150, 147, 10, 9.8), [(150, 150, 147), (None, None, None), (None, None, None)]),
        [
            ("产出指标", "数量指标", "资助学生人次", "≥3000人次", "2700人次", 30, 30, ""),
            ("产出指标", "质量指标", "资助对象识别准确率", "100%", "100%", 20, 20, ""),
            ("效益指标", "社会效益指标", "因贫辍学人数", "0人", "0人", 30, 30, ""),
            ("满意度指标", "服务对象满意度指标", "受助学生满意度", "≥90%", "93%", 10, 10, ""),
        ],
        grade="优",
    )
    notes = ({"A1": "填表说明", "A2": "1.每个项目填写一张自评表；2.金额单位为万元。"}, [], set())
    workbook(path, [("填表说明", notes), ("校园安全", first), ("教师补助", second),
                    ("学生资助", third), ("Sheet4", ({}, [], set()))])


# ------------------------------------------------- more faults (issue 15)

def w13_many_faults(path):
    """A county 部门整体 report with the faults a 绩效科 reviewer finds most:
    the rate printed 95.00% where the figures give 97.50%; a score table
    (with a caption and a 单位 line above it) whose weights add up to 95,
    a 过程 score above its weight, a 得分率 miscomputed and a 合计 that is
    not the sum; chapter 三 missing from the numbering; no chapter on
    公开; three problems and two measures."""
    d = new_doc()
    title(d, "乐平市农业农村局2022年度部门整体支出绩效自评报告")
    d.add_heading("一、部门概况", level=1)
    d.add_heading("（一）部门职能", level=2)
    para(d, "乐平市农业农村局负责全市农业农村经济发展、耕地保护和农村改革等工作。")
    d.add_heading("（二）部门预算及执行情况", level=2)
    para(d, "2022年度，本部门年初预算数为2600.00万元，全年执行数为2535.00万元，预算执行率为95.00%。")
    d.add_heading("二、部门整体支出绩效实现情况", level=1)
    para(d, "经自评，部门整体支出绩效自评得分为93分，绩效评级为“优”。各部分得分情况如下：")
    para(d, "表1 各部分指标得分情况汇总表")
    para(d, "单位：分")
    table(d, [
        ["一级指标", "权重分", "得分", "得分率", "扣分原因"],
        ["决策", "15", "15", "100%", ""],
        ["过程", "25", "26", "104%", ""],
        ["产出", "35", "31", "86%", "高标准农田建设项目进度滞后，当年完工率未达到目标"],
        ["效益", "20", "19", "95%", "群众满意度调查样本偏少"],
        ["合计", "100", "93", "93%", ""],
    ])
    d.add_heading("四、存在的问题", level=1)
    para(d, "（一）预算编制不够精准。年中调整项目较多，部分项目资金未能按计划使用。")
    para(d, "（二）项目推进较慢。高标准农田建设项目受天气影响，完工率偏低。")
    para(d, "（三）绩效监控不到位。对项目实施中的偏差发现不及时。")
    d.add_heading("五、改进措施", level=1)
    para(d, "（一）提高预算编制质量。加强项目前期论证，细化预算编制。")
    para(d, "（二）加快项目实施。倒排工期，按月调度高标准农田建设进度。")
    d.save(path)


def w15_round_two(path):
    """w13 sent again after the review (its second round, as the workbench
    sees it): the rate, the score table and the numbering corrected, a
    chapter on 公开 added — but still no measure for the third problem."""
    d = new_doc()
    title(d, "乐平市农业农村局2022年度部门整体支出绩效自评报告")
    d.add_heading("一、部门概况", level=1)
    d.add_heading("（一）部门职能", level=2)
    para(d, "乐平市农业农村局负责全市农业农村经济发展、耕地保护和农村改革等工作。")
    d.add_heading("（二）部门预算及执行情况", level=2)
    para(d, "2022年度，本部门年初预算数为2600.00万元，全年执行数为2535.00万元，预算执行率为97.50%。")
    d.add_heading("二、部门整体支出绩效实现情况", level=1)
    para(d, "经自评，部门整体支出绩效自评得分为89分，绩效评级为“良”。各部分得分情况如下：")
    para(d, "表1 各部分指标得分情况汇总表")
    para(d, "单位：分")
    table(d, [
        ["一级指标", "权重分", "得分", "得分率", "扣分原因"],
        ["决策", "15", "15", "100%", ""],
        ["过程", "25", "24", "96%", "个别项目资金拨付不及时"],
        ["产出", "40", "31", "77.5%", "高标准农田建设项目进度滞后，当年完工率未达到目标"],
        ["效益", "20", "19", "95%", "群众满意度调查样本偏少"],
        ["合计", "100", "89", "89%", ""],
    ])
    d.add_heading("三、存在的问题", level=1)
    para(d, "（一）预算编制不够精准。年中调整项目较多，部分项目资金未能按计划使用。")
    para(d, "（二）项目推进较慢。高标准农田建设项目受天气影响，完工率偏低。")
    para(d, "（三）绩效监控不到位。对项目实施中的偏差发现不及时。")
    d.add_heading("四、改进措施", level=1)
    para(d, "（一）提高预算编制质量。加强项目前期论证，细化预算编制。")
    para(d, "（二）加快项目实施。倒排工期，按月调度高标准农田建设进度。")
    d.add_heading("五、绩效自评结果应用和公开情况", level=1)
    para(d, "自评结果在市政府网站公开，并作为下年度预算安排的参考。")
    d.save(path)


def w14_unfilled(path):
    """A 部门整体 report sent with parts of the template unfilled: the
    measures keep the template's own prompt, a problem says only 暂无, and
    the report has no score table or total at all."""
    d = new_doc()
    title(d, "浮梁县林业局2022年度部门整体支出绩效自评报告")
    d.add_heading("一、部门基本情况", level=1)
    para(d, "浮梁县林业局负责全县林业资源保护、森林防火和林业产业发展。")
    para(d, "2022年度部门年初预算数为860.00万元，全年执行数为851.40万元，预算执行率为99.00%。")
    d.add_heading("二、部门整体支出绩效实现情况", level=1)
    para(d, "全年完成植树造林1.2万亩，森林覆盖率保持在81%以上，未发生重大森林火灾。")
    d.add_heading("三、存在的问题", level=1)
    para(d, "1.暂无。")
    d.add_heading("四、改进措施", level=1)
    para(d, "1.针对存在的问题提出改进措施（200字以内）")
    d.add_heading("五、绩效自评结果应用和公开情况", level=1)
    para(d, "自评结果在县政府网站公开。")
    d.save(path)


def x07_faults(path):
    """The national 自评表 with the faults of its figures: sources that do
    not add up to the total, an execution score above rate × 分值, an
    indicator scored above its 分值, one with its 实际完成值 left as “/”,
    a 总分 that is not the sum, a grade above the band."""
    cells, merges, percent = national(
        "农村公路养护", "浮梁县交通运输局", "（2022年度）",
        ((400, 400, 360, 10, 10), [(300, 300, 270), (60, 60, 50), (30, 30, 30)]),
        [
            ("产出指标", "数量指标", "养护里程", "≥850公里", "860公里", 30, 30, ""),
            ("产出指标", "质量指标", "优良路率", "≥80%", "/", 20, 20, ""),
            ("效益指标", "社会效益指标", "群众出行便利度", "有效提升", "有效提升", 30, 32, ""),
            ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "92%", 10, 10, ""),
        ],
        grade="优",
    )
    # The 总分 as the department typed it, not the sum (10+30+20+32+10=102).
    total = next(k for k, v in cells.items() if v == "总分")
    cells["H" + total[1:]] = 99
    cells["I6"] = 10
    workbook(path, [("自评表", (cells, merges, percent))])


def w16_hunan_outline(path):
    """A county report on the Hunan outline (四、部门整体支出绩效情况), whose
    score table answers 扣分原因 "无" on the rows that lost nothing; a
    "其他需要说明的问题" chapter that says 无; the 公开 chapter still holding
    the template's instruction; and the unit and date signing it off."""
    d = new_doc()
    title(d, "攸县民政局2024年度部门整体支出绩效自评报告")
    d.add_heading("一、部门基本情况", level=1)
    para(d, "攸县民政局是县政府主管全县民政工作的职能部门，内设股室8个，下属事业单位4个。")
    d.add_heading("二、部门整体支出情况", level=1)
    para(d, "2024年度，本部门年初预算数为1800.00万元，全年执行数为1764.00万元，预算执行率为98.00%。")
    d.add_heading("三、部门整体支出绩效情况", level=1)
    para(d, "经自评，部门整体支出绩效自评得分为96分，绩效评级为“优”。各部分得分情况如下：")
    para(d, "表1  各部分指标得分情况汇总表")
    table(d, [
        ["一级指标", "分值", "得分", "扣分原因"],
        ["决策", "20", "20", "无"],
        ["过程", "20", "20", "无"],
        ["产出", "40", "38", "两个养老服务设施项目验收延后，扣2分"],
        ["效益", "20", "18", "群众满意度调查样本偏少，扣2分"],
        ["合计", "100", "96", ""],
    ])
    d.add_heading("四、存在的问题", level=1)
    para(d, "（一）部分项目资金拨付进度偏慢，个别项目资金在四季度集中支付。")
    d.add_heading("五、改进措施", level=1)
    para(d, "（一）加快项目资金拨付进度，按月通报各项目支付情况。")
    d.add_heading("六、其他需要说明的问题", level=1)
    para(d, "无。")
    d.add_heading("七、绩效自评结果拟应用和公开情况", level=1)
    para(d, "（请结合实际说明自评结果拟应用和公开情况）")
    p = d.add_paragraph("攸县民政局")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p = d.add_paragraph("2025年3月28日")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(path)


def x08_explained_in_completion(path):
    """The national template filled as a civil-affairs bureau fills it: the
    budget adjusted in the year and explained only in the 年度总体目标 row's
    实际完成情况 cell (no 说明 row); targets met, their 偏差原因 "无"."""
    cells, merges, percent = national(
        "困难群众救助补助资金", "攸县民政局", "（2024年度）",
        ((500, 555.5, 550, 10, 9.9), [(450, 505.5, 500), (20, 20, 20), (30, 30, 30)]),
        [
            ("产出指标", "数量指标", "救助困难群众人数", "≥3000人", "3126人", 20, 20, "无"),
            ("产出指标", "质量指标", "救助对象认定准确率", "≥98%", "99%", 15, 15, "无"),
            ("产出指标", "时效指标", "救助资金发放及时率", "100%", "100%", 15, 15, "无"),
            ("效益指标", "社会效益指标", "困难群众基本生活保障水平", "逐步提高", "有所提高", 15, 15, ""),
            ("效益指标", "可持续影响指标", "救助政策知晓率", "≥90%", "95%", 15, 15, ""),
            ("满意度指标", "服务对象满意度指标", "救助对象满意度", "≥90%", "96%", 10, 10, ""),
        ],
        grade="优",
    )
    cells["F11"] = "按计划完成救助任务。年中追加中央困难群众救助补助资金55.50万元，全部用于临时救助和特困人员供养。"
    workbook(path, [("自评表", (cells, merges, percent))])


MAKERS = {
    "w01-prose-explained.docx": w01_prose_explained,
    "w02-next-paragraph.docx": w02_next_paragraph,
    "w03-combined-section.docx": w03_combined_section,
    "w04-unexplained.docx": w04_unexplained,
    "w05-pasted-prompt.docx": w05_pasted_prompt,
    "w06-items-as-headings.docx": w06_items_as_headings,
    "w07-restarted-numbering.docx": w07_restarted_numbering,
    "w08-auto-numbered.docx": w08_auto_numbered,
    "w09-pasted-text.txt": w09_pasted_text,
    "w10-national-in-word.docx": w10_national_in_word,
    "w11-both-labelled.docx": w11_both_labelled,
    "w12-both-renumbered.docx": w12_both_renumbered,
    "x01-national.xlsx": x01_national,
    "x02-sichuan.xlsx": x02_sichuan,
    "x03-filing-date.xlsx": x03_filing_date,
    "x04-problem-rows.xlsx": x04_problem_rows,
    "x05-note-not-funds.xlsx": x05_note_not_funds,
    "x06-three-projects.xlsx": x06_three_projects,
    "w13-many-faults.docx": w13_many_faults,
    "w14-unfilled.docx": w14_unfilled,
    "w15-round-two.docx": w15_round_two,
    "x07-faults.xlsx": x07_faults,
    "w16-hunan-outline.docx": w16_hunan_outline,
    "x08-explained-in-completion.xlsx": x08_explained_in_completion,
}

if __name__ == "__main__":
    # Names given: make only those (the others' LibreOffice copies stay
    # byte for byte as committed).
    wanted = sys.argv[1:] or list(MAKERS)
    for name in wanted:
        make = MAKERS[name]
        path = os.path.join(HERE, name)
        make(path)
        if not name.endswith(".txt"):
            fixed_timestamps(path, FIXED)
    resave([n for n in wanted if not n.endswith(".txt")], HERE, os.path.join(HERE, "libreoffice"))

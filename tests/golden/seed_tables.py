"""Golden data: the 11 published tables of the seed, transcribed by hand.

Source: ``/work/shared/seed/000_f720d2529ea36f81.txt`` (lines 1-272), the text of the
2021 budget disclosure (部门预算公开) of 中共临汾市委组织部 (department 104, unit 104001),
extracted from the published PDF.  Amounts are in 万元.

Every value below was typed from the seed and checked by eye against it, line by line.
Nothing here was computed by yusuan.  Conventions:

* amounts are strings exactly as printed, minus the thousands separators
  ("12,347.83" -> "12347.83"; trailing zeros kept: "5924.00");
* ``None`` is a blank cell;
* names are exactly as printed, including names that are cut short or wrong (those are
  listed in ``PUBLISHED_DEFECTS``);
* function-classification codes are reconstructed in full: the tables print 类 "201",
  then 款 "31" (-> "20131"), then 项 "02" (-> "2013102"); the 合计 row has code "".

Where the seed's tables are, by line number (``TABLE_LINES`` holds the same data):

==  =========================================  =====  ====  =========  =========
#   title                                      title  unit  header     body
==  =========================================  =====  ====  =========  =========
1   2021年预算收支总表                           3      5     7-8        9-39
2   2021年预算收入总表                           41     43    45-46      47-71
3   2021年预算支出汇总表                         73     75    77-78      79-103
4   2021年财政拨款收支总表                       105    107   109-111    112-142
5   2021年一般公共预算支出预算表                 144    146   148-149    150-171
6   一般公共预算安排基本支出分经济科目表         173    175   177        178-203
7   2021年政府性基金预算收入表                   205    207   209-210    211-214
8   2021年政府性基金预算支出预算表               216    218   220-221    222-225
9   政府采购预算资金明细表                       227    229   231-233    234-247
10  2021年机关运行经费预算财政拨款情况统计表     249    251   253        254-258
11  2021年“三公”经费预算表                      260    262   264-266    267
==  =========================================  =====  ====  =========  =========

Rows of every table are listed in the printed order, so row ``i`` (0-based) of a table is
on seed line ``body_start + i`` (for tables 1 and 4 the income and expenditure halves share
lines: income item ``i`` and expenditure item ``i`` are both on line ``body_start + i``).

Running this file executes the asserts at the bottom, which check the internal sums of the
transcription wherever the published document itself adds up.
"""

from decimal import Decimal

SEED_FILE = "000_f720d2529ea36f81.txt"  # in /work/shared/seed/
SEED_TABLE_LINES = (1, 272)  # the 11 tables; the 24 绩效目标申报表 start at 269/273

TABLE_LINES = {
    "INCOME_EXPENDITURE_SUMMARY": {"title": 3, "unit": 5, "header": (7, 8), "body": (9, 39)},
    "INCOME_TABLE": {"title": 41, "unit": 43, "header": (45, 46), "body": (47, 71)},
    "EXPENDITURE_TABLE": {"title": 73, "unit": 75, "header": (77, 78), "body": (79, 103)},
    "FISCAL_SUMMARY": {"title": 105, "unit": 107, "header": (109, 111), "body": (112, 142)},
    "GENERAL_BUDGET_EXPENDITURE": {
        "title": 144,
        "unit": 146,
        "header": (148, 149),
        "body": (150, 171),
    },
    "BASIC_BY_ECONOMIC": {"title": 173, "unit": 175, "header": (177, 177), "body": (178, 203)},
    "FUND_INCOME": {"title": 205, "unit": 207, "header": (209, 210), "body": (211, 214)},
    "FUND_EXPENDITURE": {"title": 216, "unit": 218, "header": (220, 221), "body": (222, 225)},
    "PROCUREMENT": {"title": 227, "unit": 229, "header": (231, 233), "body": (234, 247)},
    "OPERATING_EXPENSES": {"title": 249, "unit": 251, "header": (253, 253), "body": (254, 258)},
    "THREE_PUBLIC": {"title": 260, "unit": 262, "header": (264, 266), "body": (267, 267)},
}

# ---------------------------------------------------------------------------------------
# Titles, in order, with their unit line exactly as printed (note the ASCII colon in
# tables 7, 8 and 10 and the full-width colon elsewhere; tables 6 and 9 have no year).
# ---------------------------------------------------------------------------------------
TITLES = [
    ("2021年预算收支总表", "单位：万元"),
    ("2021年预算收入总表", "单位：万元"),
    ("2021年预算支出汇总表", "单位：万元"),
    ("2021年财政拨款收支总表", "单位：万元"),
    ("2021年一般公共预算支出预算表", "单位：万元"),
    ("一般公共预算安排基本支出分经济科目表", "单位：万元"),
    ("2021年政府性基金预算收入表", "单位:万元"),
    ("2021年政府性基金预算支出预算表", "单位:万元"),
    ("政府采购预算资金明细表", "单位：万元"),
    ("2021年机关运行经费预算财政拨款情况统计表", "单位:万元"),
    ("2021年“三公”经费预算表", "单位：万元"),
]

# The 30 function classes (类) as listed, in this order, in tables 1 and 4.
FUNCTION_CLASSES = [
    "一般公共服务支出",
    "外交支出",
    "国防支出",
    "公共安全支出",
    "教育支出",
    "科学技术支出",
    "文化旅游体育与传媒支出",
    "社会保障和就业支出",
    "社会保险基金支出",
    "卫生健康支出",
    "节能环保支出",
    "城乡社区支出",
    "农林水支出",
    "交通运输支出",
    "资源勘探工业信息等支出",
    "商业服务业等支出",
    "金融支出",
    "援助其他地区支出",
    "自然资源海洋气象等支出",
    "住房保障支出",
    "粮油物资储备支出",
    "国有资本经营预算支出",
    "灾害防治及应急管理支出",
    "预备费",
    "其他支出",
    "转移性支出",
    "债务还本支出",
    "债务付息支出",
    "债务发行费用支出",
    "抗疫特别国债安排的支出",
]

# ---------------------------------------------------------------------------------------
# Table 1 — 2021年预算收支总表 (lines 3-39)
# Header: 收入 | | 支出 | / 项目 | 2021年 | 项目 | 2021年
# ---------------------------------------------------------------------------------------
INCOME_EXPENDITURE_SUMMARY = {
    # labels without the printed ordinal ("一、" …); the printed labels are below
    "income": [
        ("一般公共预算", "6423.83"),
        ("纳入预算管理的政府性基金", "5924.00"),
        ("财政专户管理资金", None),
        ("国有资本经营预算资金", None),
        ("单位资金", None),
    ],
    "income_printed_labels": [
        "一、一般公共预算",
        "二、纳入预算管理的政府性基金",
        "三、财政专户管理资金",
        "四、国有资本经营预算资金",
        "五、单位资金",
    ],
    "expenditure": [
        ("一般公共服务支出", "3918.30"),
        ("外交支出", None),
        ("国防支出", None),
        ("公共安全支出", None),
        ("教育支出", None),
        ("科学技术支出", None),
        ("文化旅游体育与传媒支出", None),
        ("社会保障和就业支出", "143.35"),
        ("社会保险基金支出", None),
        ("卫生健康支出", None),
        ("节能环保支出", None),
        ("城乡社区支出", "5924.00"),
        ("农林水支出", "1200.00"),
        ("交通运输支出", None),
        ("资源勘探工业信息等支出", None),
        ("商业服务业等支出", None),
        ("金融支出", None),
        ("援助其他地区支出", None),
        ("自然资源海洋气象等支出", None),
        ("住房保障支出", "62.62"),
        ("粮油物资储备支出", None),
        ("国有资本经营预算支出", None),
        ("灾害防治及应急管理支出", None),
        ("预备费", None),
        ("其他支出", None),
        ("转移性支出", "1099.56"),
        ("债务还本支出", None),
        ("债务付息支出", None),
        ("债务发行费用支出", None),
        ("抗疫特别国债安排的支出", None),
    ],
    "income_total_label": "本年收入合计",
    "income_total": "12347.83",
    "expenditure_total_label": "本年支出合计",
    "expenditure_total": "12347.83",
}

# ---------------------------------------------------------------------------------------
# Table 2 — 2021年预算收入总表 (lines 41-71)
# ---------------------------------------------------------------------------------------
INCOME_TABLE = {
    "columns": [
        "本年收入合计",
        "一般公共预算",
        "政府性基金",
        "财政专户管理资金",
        "国有资本经营预算资金",
        "单位资金",
    ],
    "rows": [
        ("", "合计", ["12347.83", "6423.83", "5924.00", None, None, None]),
        # printed "一般公共预算支出": wrong name for 201 (一般公共服务支出), see defects
        ("201", "一般公共预算支出", ["3918.30", "3918.30", None, None, None, None]),
        ("20131", "党委办公厅（室）及相关机构事务", ["1440.00", "1440.00", None, None, None, None]),
        ("2013102", "一般行政管理事务", ["1440.00", "1440.00", None, None, None, None]),
        ("20132", "组织事务", ["2478.30", "2478.30", None, None, None, None]),
        ("2013201", "行政运行", ["700.08", "700.08", None, None, None, None]),
        ("2013202", "一般行政管理事务", ["1692.00", "1692.00", None, None, None, None]),
        ("2013250", "事业运行", ["86.22", "86.22", None, None, None, None]),
        ("208", "社会保障和就业支出", ["143.35", "143.35", None, None, None, None]),
        ("20805", "行政事业单位养老支出", ["143.35", "143.35", None, None, None, None]),
        ("2080501", "行政单位离退休", ["19.52", "19.52", None, None, None, None]),
        ("2080505", "机关事业单位基本养老保险缴费支出", ["83.50", "83.50", None, None, None, None]),
        ("2080506", "机关事业单位职业年金缴费支出", ["40.33", "40.33", None, None, None, None]),
        ("212", "城乡社区支出", ["5924.00", None, "5924.00", None, None, None]),
        (
            "21208",
            "国有土地使用权出让收入安排的支出",
            ["5924.00", None, "5924.00", None, None, None],
        ),
        (
            "2120899",
            "其他国有土地使用权出让收入安排的支出",
            ["5924.00", None, "5924.00", None, None, None],
        ),
        ("213", "农林水支出", ["1200.00", "1200.00", None, None, None, None]),
        ("21399", "其他农林水支出", ["1200.00", "1200.00", None, None, None, None]),
        ("2139999", "其他农林水支出", ["1200.00", "1200.00", None, None, None, None]),
        ("221", "住房保障支出", ["62.62", "62.62", None, None, None, None]),
        ("22102", "住房改革支出", ["62.62", "62.62", None, None, None, None]),
        ("2210201", "住房公积金", ["62.62", "62.62", None, None, None, None]),
        ("230", "转移性支出", ["1099.56", "1099.56", None, None, None, None]),
        ("23003", "专项转移支付", ["1099.56", "1099.56", None, None, None, None]),
        ("2300301", "一般公共服务", ["1099.56", "1099.56", None, None, None, None]),
    ],
}

# ---------------------------------------------------------------------------------------
# Table 3 — 2021年预算支出汇总表 (lines 73-103)
# The 类 and 款 rows print only 合计; their 基本支出 / 项目支出 cells are blank (None).
# Five names are cut short (see defects).
# ---------------------------------------------------------------------------------------
EXPENDITURE_TABLE = {
    "columns": ["合计", "基本支出", "项目支出"],
    "rows": [
        ("", "合计", ["12347.83", "992.27", "11355.56"]),
        ("201", "一般公共服务支出", ["3918.30", None, None]),
        ("20131", "党委办公厅（室）及相关机构", ["1440.00", None, None]),
        ("2013102", "一般行政管理事务", ["1440.00", None, "1440.00"]),
        ("20132", "组织事务", ["2478.30", None, None]),
        ("2013201", "行政运行", ["700.08", "700.08", None]),
        ("2013202", "一般行政管理事务", ["1692.00", None, "1692.00"]),
        ("2013250", "事业运行", ["86.22", "86.22", None]),
        ("208", "社会保障和就业支出", ["143.35", None, None]),
        ("20805", "行政事业单位养老支出", ["143.35", None, None]),
        ("2080501", "行政单位离退休", ["19.52", "19.52", None]),
        ("2080505", "机关事业单位基本养老保险", ["83.50", "83.50", None]),
        ("2080506", "机关事业单位职业年金缴费", ["40.33", "40.33", None]),
        ("212", "城乡社区支出", ["5924.00", None, None]),
        ("21208", "国有土地使用权出让收入安排", ["5924.00", None, None]),
        ("2120899", "其他国有土地使用权出让收", ["5924.00", None, "5924.00"]),
        ("213", "农林水支出", ["1200.00", None, None]),
        ("21399", "其他农林水支出", ["1200.00", None, None]),
        ("2139999", "其他农林水支出", ["1200.00", None, "1200.00"]),
        ("221", "住房保障支出", ["62.62", None, None]),
        ("22102", "住房改革支出", ["62.62", None, None]),
        ("2210201", "住房公积金", ["62.62", "62.62", None]),
        ("230", "转移性支出", ["1099.56", None, None]),
        ("23003", "专项转移支付", ["1099.56", None, None]),
        ("2300301", "一般公共服务", ["1099.56", None, "1099.56"]),
    ],
}

# ---------------------------------------------------------------------------------------
# Table 4 — 2021年财政拨款收支总表 (lines 105-142)
# Header: 收入 (项目 | 金额) | 支出 (项目 | 金额: 小计 | 一般公共预算 | 政府性基金)
# ---------------------------------------------------------------------------------------
FISCAL_SUMMARY = {
    "income": [
        ("一般公共预算", "6423.83"),
        ("纳入预算管理的政府性基金", "5924.00"),
    ],
    "income_printed_labels": ["一、一般公共预算", "二、纳入预算管理的政府性基金"],
    "expenditure_columns": ["小计", "一般公共预算", "政府性基金"],
    "expenditure": [
        ("一般公共服务支出", "3918.30", "3918.30", None),
        ("外交支出", None, None, None),
        ("国防支出", None, None, None),
        ("公共安全支出", None, None, None),
        ("教育支出", None, None, None),
        ("科学技术支出", None, None, None),
        ("文化旅游体育与传媒支出", None, None, None),
        ("社会保障和就业支出", "143.35", "143.35", None),
        ("社会保险基金支出", None, None, None),
        ("卫生健康支出", None, None, None),
        ("节能环保支出", None, None, None),
        ("城乡社区支出", "5924.00", None, "5924.00"),
        ("农林水支出", "1200.00", "1200.00", None),
        ("交通运输支出", None, None, None),
        ("资源勘探工业信息等支出", None, None, None),
        ("商业服务业等支出", None, None, None),
        ("金融支出", None, None, None),
        ("援助其他地区支出", None, None, None),
        ("自然资源海洋气象等支出", None, None, None),
        ("住房保障支出", "62.62", "62.62", None),
        ("粮油物资储备支出", None, None, None),
        ("国有资本经营预算支出", None, None, None),
        ("灾害防治及应急管理支出", None, None, None),
        ("预备费", None, None, None),
        ("其他支出", None, None, None),
        ("转移性支出", "1099.56", "1099.56", None),
        ("债务还本支出", None, None, None),
        ("债务付息支出", None, None, None),
        ("债务发行费用支出", None, None, None),
        ("抗疫特别国债安排的支出", None, None, None),
    ],
    "income_total_label": "本年收入合计",
    "income_total": "12347.83",
    "expenditure_total_label": "本年支出合计",
    "expenditure_total": ("12347.83", "6423.83", "5924.00"),
}

# ---------------------------------------------------------------------------------------
# Table 5 — 2021年一般公共预算支出预算表 (lines 144-171)
# Here 类 and 款 rows do carry 基本/项目 subtotals. Three names are cut short.
# ---------------------------------------------------------------------------------------
GENERAL_BUDGET_EXPENDITURE = {
    "columns": ["合计", "基本支出", "项目支出"],
    "rows": [
        ("", "合计", ["6423.83", "992.27", "5431.56"]),
        ("201", "一般公共服务支出", ["3918.30", "786.30", "3132.00"]),
        ("20131", "党委办公厅（室）及相关机构事", ["1440.00", None, "1440.00"]),
        ("2013102", "一般行政管理事务", ["1440.00", None, "1440.00"]),
        ("20132", "组织事务", ["2478.30", "786.30", "1692.00"]),
        ("2013201", "行政运行", ["700.08", "700.08", None]),
        ("2013202", "一般行政管理事务", ["1692.00", None, "1692.00"]),
        ("2013250", "事业运行", ["86.22", "86.22", None]),
        ("208", "社会保障和就业支出", ["143.35", "143.35", None]),
        ("20805", "行政事业单位养老支出", ["143.35", "143.35", None]),
        ("2080501", "行政单位离退休", ["19.52", "19.52", None]),
        ("2080505", "机关事业单位基本养老保险缴", ["83.50", "83.50", None]),
        ("2080506", "机关事业单位职业年金缴费支", ["40.33", "40.33", None]),
        ("213", "农林水支出", ["1200.00", None, "1200.00"]),
        ("21399", "其他农林水支出", ["1200.00", None, "1200.00"]),
        ("2139999", "其他农林水支出", ["1200.00", None, "1200.00"]),
        ("221", "住房保障支出", ["62.62", "62.62", None]),
        ("22102", "住房改革支出", ["62.62", "62.62", None]),
        ("2210201", "住房公积金", ["62.62", "62.62", None]),
        ("230", "转移性支出", ["1099.56", None, "1099.56"]),
        ("23003", "专项转移支付", ["1099.56", None, "1099.56"]),
        ("2300301", "一般公共服务", ["1099.56", None, "1099.56"]),
    ],
}

# ---------------------------------------------------------------------------------------
# Table 6 — 一般公共预算安排基本支出分经济科目表 (lines 173-203)
# Header: 经济科目名称 | 预算数 | 备注 (备注 blank on every row).  The table prints names
# only; the codes are the 部门预算支出经济分类 (财预〔2017〕98号, in force from 2018) codes
# whose official names are exactly the printed names (each checked: all 24 printed names
# are the official names verbatim).
# ---------------------------------------------------------------------------------------
BASIC_BY_ECONOMIC = {
    "columns": ["预算数"],
    "rows": [
        ("", "合计", "992.27"),
        ("301", "工资福利支出", "826.94"),
        ("30101", "基本工资", "301.29"),
        ("30102", "津贴补贴", "251.07"),
        ("30103", "奖金", "21.73"),
        ("30107", "绩效工资", "27.06"),
        ("30108", "机关事业单位基本养老保险缴费", "83.50"),
        ("30109", "职业年金缴费", "41.75"),
        ("30110", "职工基本医疗保险缴费", "34.80"),
        ("30112", "其他社会保障缴费", "3.12"),
        ("30113", "住房公积金", "62.62"),
        ("302", "商品和服务支出", "146.92"),
        ("30201", "办公费", "19.70"),
        ("30202", "印刷费", "10.00"),
        ("30211", "差旅费", "22.00"),
        ("30215", "会议费", "2.00"),
        ("30217", "公务接待费", "4.00"),
        ("30228", "工会经费", "5.96"),
        ("30229", "福利费", "17.40"),
        ("30231", "公务用车运行维护费", "8.20"),
        ("30239", "其他交通费用", "56.04"),
        ("30299", "其他商品和服务支出", "1.62"),
        ("303", "对个人和家庭的补助", "18.41"),
        ("30301", "离休费", "11.69"),
        ("30302", "退休费", "6.66"),
        ("30309", "奖励金", "0.06"),
    ],
}

# ---------------------------------------------------------------------------------------
# Table 7 — 2021年政府性基金预算收入表 (lines 205-214).  Title says 收入; the rows are
# expenditure function codes.  Single amount column 合计.
# ---------------------------------------------------------------------------------------
FUND_INCOME = {
    "columns": ["合计"],
    "rows": [
        ("", "合计", ["5924.00"]),
        ("212", "城乡社区支出", ["5924.00"]),
        # printed with the 项 name: wrong for 21208 (国有土地使用权出让收入安排的支出)
        ("21208", "其他国有土地使用权出让收入安排的支出", ["5924.00"]),
        ("2120899", "其他国有土地使用权出让收入安排的支出", ["5924.00"]),
    ],
}

# ---------------------------------------------------------------------------------------
# Table 8 — 2021年政府性基金预算支出预算表 (lines 216-225)
# ---------------------------------------------------------------------------------------
FUND_EXPENDITURE = {
    "columns": ["合计", "基本支出", "项目支出"],
    "rows": [
        ("", "合计", ["5924.00", None, "5924.00"]),
        ("212", "城乡社区支出", ["5924.00", None, "5924.00"]),
        ("21208", "其他国有土地使用权出让收入安排的支出", ["5924.00", None, "5924.00"]),
        ("2120899", "其他国有土地使用权出让收入安排的支出", ["5924.00", None, "5924.00"]),
    ],
}

# ---------------------------------------------------------------------------------------
# Table 9 — 政府采购预算资金明细表 (lines 227-247)
#
# The three header rows as extracted (14 tab-separated cells each, "" = empty cell):
#   231: 单位编码|单位名称|项目名称|支出经济分类科目名称|采购品目|数量|计量单位|资金来源|||||备注|
#   232: |||||||预算总计|政府预算资金||国有资本经营预算资金|财政专户管理资金||单位资金
#   233: ||||||||政府预算资金合计|一般公共预算资金||||
# Reading: cells 0-6 are the descriptive columns; under 资金来源: 7 预算总计,
# 8 政府预算资金/政府预算资金合计, 9 政府预算资金/一般公共预算资金, 10 国有资本经营预算资金,
# 11 财政专户管理资金, 13 单位资金; 备注 printed in row 231 at cell 12 (the merged header
# cells are slightly misplaced by the extraction; no data row has anything in cells 9-13,
# so the ambiguity does not affect any value).
# Every data row has values only in cells 7 (预算总计) and 8 (政府预算资金合计): the
# 一般公共预算资金 cell (9) is blank everywhere, as printed (see defects).
# ---------------------------------------------------------------------------------------
PROCUREMENT_HEADER_ROWS = [
    [
        "单位编码",
        "单位名称",
        "项目名称",
        "支出经济分类科目名称",
        "采购品目",
        "数量",
        "计量单位",
        "资金来源",
        "",
        "",
        "",
        "",
        "备注",
        "",
    ],
    [
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "预算总计",
        "政府预算资金",
        "",
        "国有资本经营预算资金",
        "财政专户管理资金",
        "",
        "单位资金",
    ],
    ["", "", "", "", "", "", "", "", "政府预算资金合计", "一般公共预算资金", "", "", "", ""],
]

# key -> printed column heading
PROCUREMENT_COLUMNS = [
    ("unit_code", "单位编码"),
    ("unit_name", "单位名称"),
    ("project", "项目名称"),
    ("economic", "支出经济分类科目名称"),
    ("item", "采购品目"),
    ("quantity", "数量"),
    ("quantity_unit", "计量单位"),
    ("total", "预算总计"),
    ("government_total", "政府预算资金合计"),
    ("general_budget", "一般公共预算资金"),
    ("state_capital", "国有资本经营预算资金"),
    ("special_account", "财政专户管理资金"),
    ("unit_funds", "单位资金"),
    ("note", "备注"),
]


def _p(
    unit_code=None,
    unit_name=None,
    project=None,
    economic=None,
    item=None,
    quantity=None,
    quantity_unit=None,
    total=None,
    government_total=None,
):
    """One procurement row; the source columns not listed are blank on every printed row."""
    return {
        "unit_code": unit_code,
        "unit_name": unit_name,
        "project": project,
        "economic": economic,
        "item": item,
        "quantity": quantity,
        "quantity_unit": quantity_unit,
        "total": total,
        "government_total": government_total,
        "general_budget": None,
        "state_capital": None,
        "special_account": None,
        "unit_funds": None,
        "note": None,
    }


PROCUREMENT = {
    "header_rows": PROCUREMENT_HEADER_ROWS,
    "columns": PROCUREMENT_COLUMNS,
    "rows": [
        # line 234: the grand total; "合计" is printed in the 采购品目 column (cell 4)
        _p(item="合计", quantity="373", total="43.00", government_total="43.00"),
        # line 235: department
        _p(
            unit_code="104",
            unit_name="中共临汾市委组织部",
            quantity="373",
            total="43.00",
            government_total="43.00",
        ),
        # line 236: unit
        _p(
            unit_code="104001",
            unit_name="中共临汾市委组织部",
            quantity="373",
            total="43.00",
            government_total="43.00",
        ),
        # line 237: a further level with a 7-digit code, same name
        _p(
            unit_code="1040010",
            unit_name="中共临汾市委组织部",
            quantity="373",
            total="43.00",
            government_total="43.00",
        ),
        # line 238: group 基本支出 (printed in the 项目名称 column); no quantity
        _p(project="基本支出", total="8.20", government_total="8.20"),
        # line 239
        _p(
            project="车辆运行维护费",
            economic="[30231]公务用车运行维护费",
            item="C0956301-车辆维修和保养服务",
            total="3.20",
            government_total="3.20",
        ),
        # line 240
        _p(
            project="在聘人员一般公用经费",
            economic="[30231]公务用车运行维护费",
            item="C0956302-车辆加油服务",
            total="5.00",
            government_total="5.00",
        ),
        # line 241: group 项目支出
        _p(project="项目支出", quantity="373", total="34.80", government_total="34.80"),
        # line 242
        _p(
            project="组织工作业务费",
            economic="[30202]印刷费",
            item="C081401-印刷费",
            quantity="15",
            quantity_unit="批次",
            total="8.00",
            government_total="8.00",
        ),
        # line 243: [31080] is not a valid economic code
        _p(
            project="组织工作业务费",
            economic="[31080]其他资本性支出",
            item="A0602-台、桌类",
            quantity="5",
            quantity_unit="张",
            total="0.60",
            government_total="0.60",
        ),
        # line 244: A0605 is 柜类, printed 桌类
        _p(
            project="组织工作业务费",
            economic="[31099]其他资本性支出",
            item="A0605-桌类",
            quantity="58",
            quantity_unit="个",
            total="9.40",
            government_total="9.40",
        ),
        # line 245: project name matches no form (form: 年度目标责任制考核工作经费)
        _p(
            project="年度目标任务考核工作",
            economic="[30202]印刷费",
            item="C081401-印刷费",
            quantity="30",
            quantity_unit="批次",
            total="7.30",
            government_total="7.30",
        ),
        # line 246
        _p(
            project="党建研究工作经费",
            economic="[30202]印刷费",
            item="C081401-印刷费",
            quantity="5",
            quantity_unit="批次",
            total="3.00",
            government_total="3.00",
        ),
        # line 247: quantity 260 without a unit
        _p(
            project="组织事务专项发展支出",
            economic="[30201]办公费",
            item="A09-办公消耗用品",
            quantity="260",
            total="6.50",
            government_total="6.50",
        ),
    ],
    # parallel to "rows": what each printed row is
    "row_kinds": [
        "total",
        "department",
        "unit",
        "unit",
        "group",
        "item",
        "item",
        "group",
        "item",
        "item",
        "item",
        "item",
        "item",
        "item",
    ],
}

# ---------------------------------------------------------------------------------------
# Table 10 — 2021年机关运行经费预算财政拨款情况统计表 (lines 249-258)
# Header: 单位名称 | 2021年预算数
# ---------------------------------------------------------------------------------------
OPERATING_EXPENSES = [
    ("合计", "136.29"),
    ("中共临汾市委组织部", "110.01"),
    ("中共临汾市委组织部网络宣传中心", "8.71"),
    ("中共临汾市委组织部党员教育中心", "12.43"),
    ("中共临汾市委组织部举报中心", "5.14"),
]

# ---------------------------------------------------------------------------------------
# Table 11 — 2021年“三公”经费预算表 (lines 260-267)
#
# Header and data as extracted (11 tab-separated cells each; "" = empty):
#   264: 单位编码|单位名称|2021年预算数据|||||||备注|
#   265: ||合计|因公出国 (境)费|公务接待 费|公务用车费|||会议费||培训费
#   266: |||||小计|公务用车 运行维护 费|公务用车 购置费|||
#   267: 104001|临汾市委组织部|31.06||22.05|9.01|9.01||31.32|129.12|
#
# Column decision.  The form has 11 columns: 单位编码, 单位名称, then under 2021年预算数据
# 合计, 因公出国(境)费, 公务接待费, 公务用车费 (小计, 公务用车运行维护费, 公务用车购置费),
# 会议费, 培训费, and last 备注.  The extraction misplaces the two merged header cells:
# 备注 (rows 264-266) lands in cell 9 instead of 10, and 培训费 (rows 265-266) in cell 10
# instead of 9.  Taken literally, 129.12 would be a 备注 and 培训费 blank, which cannot be
# right (a 备注 holds remarks, and 培训费 is the only amount column left after 会议费).
# So, cell by cell: 2 合计 31.06, 3 因公出国(境)费 blank, 4 公务接待费 22.05,
# 5 公务用车费小计 9.01, 6 公务用车运行维护费 9.01, 7 公务用车购置费 blank,
# 8 会议费 31.32, 9 培训费 129.12, 10 备注 blank.
# This reading is confirmed by the sums: 合计 31.06 = 0 + 22.05 + 9.01 (the three public
# expenses only, 会议费/培训费 excluded) and 小计 9.01 = 9.01 + 0.
# ---------------------------------------------------------------------------------------
THREE_PUBLIC_HEADER_ROWS = [
    ["单位编码", "单位名称", "2021年预算数据", "", "", "", "", "", "", "备注", ""],
    [
        "",
        "",
        "合计",
        "因公出国 (境)费",
        "公务接待 费",
        "公务用车费",
        "",
        "",
        "会议费",
        "",
        "培训费",
    ],
    ["", "", "", "", "", "小计", "公务用车 运行维护 费", "公务用车 购置费", "", "", ""],
]

THREE_PUBLIC = {
    "unit_code": "104001",
    "unit_name": "临汾市委组织部",  # as printed; elsewhere the unit is 中共临汾市委组织部
    "合计": "31.06",
    "因公出国(境)费": None,
    "公务接待费": "22.05",
    "公务用车费小计": "9.01",
    "公务用车运行维护费": "9.01",
    "公务用车购置费": None,
    "会议费": "31.32",
    "培训费": "129.12",
    "备注": None,
}

# ---------------------------------------------------------------------------------------
# Defects of the published tables.
#   table      : name of the constant above (or "CROSS" for disagreements between tables)
#   line       : seed line(s)
#   row        : code / label of the row ("" when it concerns the whole table)
#   field      : column or part concerned
#   printed    : what is printed
#   expected   : what it should be (None when there is no single right value)
#   problem    : what is wrong
#   confidence : "certain" (provable from the document or the official catalogues),
#                "probable" (very likely wrong, but a legitimate explanation is conceivable),
#                "minor" (presentation / consistency of form)
# ---------------------------------------------------------------------------------------


def _d(table, line, row, field, printed, expected, problem, confidence="certain"):
    return {
        "table": table,
        "line": line,
        "row": row,
        "field": field,
        "printed": printed,
        "expected": expected,
        "problem": problem,
        "confidence": confidence,
    }


PUBLISHED_DEFECTS = [
    # --- Table 2: 2021年预算收入总表 ---------------------------------------------------
    _d(
        "INCOME_TABLE",
        48,
        "201",
        "科目名称",
        "一般公共预算支出",
        "一般公共服务支出",
        "wrong name for function class 201 (a funding-source name is printed instead)",
    ),
    # --- Table 3: 2021年预算支出汇总表 — names cut short --------------------------------
    _d(
        "EXPENDITURE_TABLE",
        81,
        "20131",
        "科目名称",
        "党委办公厅（室）及相关机构",
        "党委办公厅（室）及相关机构事务",
        "name cut short",
    ),
    _d(
        "EXPENDITURE_TABLE",
        90,
        "2080505",
        "科目名称",
        "机关事业单位基本养老保险",
        "机关事业单位基本养老保险缴费支出",
        "name cut short",
    ),
    _d(
        "EXPENDITURE_TABLE",
        91,
        "2080506",
        "科目名称",
        "机关事业单位职业年金缴费",
        "机关事业单位职业年金缴费支出",
        "name cut short",
    ),
    _d(
        "EXPENDITURE_TABLE",
        93,
        "21208",
        "科目名称",
        "国有土地使用权出让收入安排",
        "国有土地使用权出让收入安排的支出",
        "name cut short",
    ),
    _d(
        "EXPENDITURE_TABLE",
        94,
        "2120899",
        "科目名称",
        "其他国有土地使用权出让收",
        "其他国有土地使用权出让收入安排的支出",
        "name cut short",
    ),
]

# Table 3: the 类 and 款 rows leave 基本支出 / 项目支出 blank, so 类 = Σ 款 = Σ 项 fails in
# those columns.  One entry per (row, column) where the children do not sum to zero;
# expected = the sum of the row's 项 children in that column.
for _line, _code, _field, _expected in [
    (80, "201", "基本支出", "786.30"),
    (80, "201", "项目支出", "3132.00"),
    (81, "20131", "项目支出", "1440.00"),
    (83, "20132", "基本支出", "786.30"),
    (83, "20132", "项目支出", "1692.00"),
    (87, "208", "基本支出", "143.35"),
    (88, "20805", "基本支出", "143.35"),
    (92, "212", "项目支出", "5924.00"),
    (93, "21208", "项目支出", "5924.00"),
    (95, "213", "项目支出", "1200.00"),
    (96, "21399", "项目支出", "1200.00"),
    (98, "221", "基本支出", "62.62"),
    (99, "22102", "基本支出", "62.62"),
    (101, "230", "项目支出", "1099.56"),
    (102, "23003", "项目支出", "1099.56"),
]:
    PUBLISHED_DEFECTS.append(
        _d(
            "EXPENDITURE_TABLE",
            _line,
            _code,
            _field,
            None,
            _expected,
            "subtotal left blank: the 类/款 row does not equal the sum of its 项 rows in this column",
        )
    )
del _line, _code, _field, _expected

PUBLISHED_DEFECTS += [
    # --- Table 5: 2021年一般公共预算支出预算表 — names cut short -------------------------
    _d(
        "GENERAL_BUDGET_EXPENDITURE",
        152,
        "20131",
        "科目名称",
        "党委办公厅（室）及相关机构事",
        "党委办公厅（室）及相关机构事务",
        "name cut short",
    ),
    _d(
        "GENERAL_BUDGET_EXPENDITURE",
        161,
        "2080505",
        "科目名称",
        "机关事业单位基本养老保险缴",
        "机关事业单位基本养老保险缴费支出",
        "name cut short",
    ),
    _d(
        "GENERAL_BUDGET_EXPENDITURE",
        162,
        "2080506",
        "科目名称",
        "机关事业单位职业年金缴费支",
        "机关事业单位职业年金缴费支出",
        "name cut short",
    ),
    # --- Table 6: 一般公共预算安排基本支出分经济科目表 ---------------------------------
    _d(
        "BASIC_BY_ECONOMIC",
        (173, 203),
        "",
        "科目编码",
        None,
        None,
        "economic classification table prints names only, no 经济分类 codes",
        "minor",
    ),
    _d(
        "BASIC_BY_ECONOMIC",
        173,
        "",
        "title",
        "一般公共预算安排基本支出分经济科目表",
        "2021年一般公共预算安排基本支出分经济科目表",
        "title lacks the year that the other titles carry",
        "minor",
    ),
    # --- Table 7: 2021年政府性基金预算收入表 --------------------------------------------
    _d(
        "FUND_INCOME",
        205,
        "",
        "title",
        "2021年政府性基金预算收入表",
        None,
        "title says 收入 (income) but the table lists expenditure function classes "
        "(212 城乡社区支出 …); it duplicates the 合计 column of table 8",
    ),
    _d(
        "FUND_INCOME",
        213,
        "21208",
        "科目名称",
        "其他国有土地使用权出让收入安排的支出",
        "国有土地使用权出让收入安排的支出",
        "wrong name for 款 21208: the name of its 项 2120899 is printed",
    ),
    _d(
        "FUND_INCOME",
        207,
        "",
        "unit line",
        "单位:万元",
        "单位：万元",
        "ASCII colon, unlike tables 1-6, 9, 11",
        "minor",
    ),
    # --- Table 8: 2021年政府性基金预算支出预算表 ----------------------------------------
    _d(
        "FUND_EXPENDITURE",
        224,
        "21208",
        "科目名称",
        "其他国有土地使用权出让收入安排的支出",
        "国有土地使用权出让收入安排的支出",
        "wrong name for 款 21208: the name of its 项 2120899 is printed",
    ),
    _d(
        "FUND_EXPENDITURE",
        218,
        "",
        "unit line",
        "单位:万元",
        "单位：万元",
        "ASCII colon, unlike tables 1-6, 9, 11",
        "minor",
    ),
    # --- Table 9: 政府采购预算资金明细表 ------------------------------------------------
    _d(
        "PROCUREMENT",
        243,
        "组织工作业务费 / A0602",
        "economic",
        "[31080]其他资本性支出",
        "[31099]其他资本性支出",
        "31080 is not a 部门预算支出经济分类 code (310 资本性支出 has 31001…31022 and 31099); "
        "the printed name is that of 31099, used on the next line for the same project",
    ),
    _d(
        "PROCUREMENT",
        244,
        "组织工作业务费 / A0605",
        "item",
        "A0605-桌类",
        "A0605-柜类",
        "in the 政府采购品目分类目录 (财库〔2013〕189号) A0605 is 柜类; 桌类 is A0602, "
        "printed on the line above as A0602-台、桌类 (unit 个 fits cabinets)",
    ),
    _d(
        "PROCUREMENT",
        247,
        "组织事务专项发展支出 / A09",
        "item",
        "A09-办公消耗用品",
        "A09-办公消耗用品及类似物品",
        "catalogue name of A09 cut short (2013 catalogue: 办公消耗用品及类似物品)",
        "probable",
    ),
    _d(
        "PROCUREMENT",
        247,
        "组织事务专项发展支出 / A09",
        "quantity_unit",
        None,
        None,
        "quantity 260 given without a 计量单位",
    ),
    _d(
        "PROCUREMENT",
        245,
        "年度目标任务考核工作",
        "project",
        "年度目标任务考核工作",
        "年度目标责任制考核工作经费",
        "project name matches none of the 24 projects of the 绩效目标申报表 "
        "(closest: 年度目标责任制考核工作经费, line 963)",
    ),
    _d(
        "PROCUREMENT",
        (234, 237),
        "合计 / 104 / 104001 / 1040010 and 项目支出 (241)",
        "quantity",
        "373",
        None,
        "quantities with different units are added up: 15+30+5 批次, 5 张, 58 个, 260 (no "
        "unit) = 373; the sum is arithmetically right but meaningless",
    ),
    _d(
        "PROCUREMENT",
        (234, 247),
        "every row",
        "general_budget",
        None,
        None,
        "一般公共预算资金, the only printed sub-column of 政府预算资金, is blank on every row "
        "while 政府预算资金合计 is filled (43.00 …): the sub-column does not add up to its "
        "合计 (all 43.00 are 一般公共预算 money: the budget has no fund money in procurement)",
    ),
    _d(
        "PROCUREMENT",
        227,
        "",
        "title",
        "政府采购预算资金明细表",
        "2021年政府采购预算资金明细表",
        "title lacks the year that the other titles carry",
        "minor",
    ),
    # --- Table 10: 2021年机关运行经费预算财政拨款情况统计表 -----------------------------
    _d(
        "OPERATING_EXPENSES",
        (255, 258),
        "",
        "单位名称",
        "中共临汾市委组织部网络宣传中心 / 党员教育中心 / 举报中心",
        None,
        "three subordinate units appear only in this table (no unit codes; the procurement "
        "and 三公 tables list only 104001), so the unit coverage of the tables disagrees",
        "probable",
    ),
    _d(
        "OPERATING_EXPENSES",
        251,
        "",
        "unit line",
        "单位:万元",
        "单位：万元",
        "ASCII colon, unlike tables 1-6, 9, 11",
        "minor",
    ),
    # --- Table 11: 2021年“三公”经费预算表 ----------------------------------------------
    _d(
        "THREE_PUBLIC",
        267,
        "104001",
        "unit_name",
        "临汾市委组织部",
        "中共临汾市委组织部",
        "unit name differs from the name of unit 104001 everywhere else (procurement table, "
        "every 绩效目标申报表: 中共临汾市委组织部)",
    ),
    _d(
        "THREE_PUBLIC",
        (264, 266),
        "",
        "header",
        "备注 in cell 9, 培训费 in cell 10",
        None,
        "header cells 备注 and 培训费 are out of place in the extracted text; the value "
        "129.12 (cell 9) sits under 备注 when read literally and is 培训费 by the logic of the "
        "form and the sums (could be an extraction artefact rather than a printing error)",
        "probable",
    ),
    # --- Disagreements between tables ---------------------------------------------------
    _d(
        "CROSS",
        (184, 185, 91, 162),
        "30109 vs 2080506",
        "amount",
        "41.75 vs 40.33",
        None,
        "职业年金缴费 (30109) 41.75 in the economic table, but 机关事业单位职业年金缴费支出 "
        "(2080506) only 40.33 in the function tables, while 30108 83.50 = 2080505 83.50 and "
        "30113 62.62 = 2210201 62.62 match exactly; 1.42 of occupational annuity is "
        "booked under another function code",
        "probable",
    ),
    _d(
        "CROSS",
        (186, 158),
        "30110 vs 21011",
        "amount",
        "34.80 vs (none)",
        None,
        "职工基本医疗保险缴费 (30110) 34.80 is budgeted, but no function table has 210 卫生健康"
        "支出 / 21011 行政事业单位医疗, where employer medical-insurance contributions belong; "
        "it must be hidden in 2013201 行政运行 / 2013250 事业运行",
        "probable",
    ),
]

# Things noticed but not verified well enough to count as defects.
UNVERIFIED_OBSERVATIONS = [
    "PROCUREMENT lines 239-240: items C0956301 / C0956302 have 7 digits after the letter, "
    "whereas 政府采购品目分类目录 codes have an even number (A0602, C081401 …); they look like "
    "local (Shanxi) codes, or a mangled C050301 车辆维修和保养服务; not checked.",
    "PROCUREMENT lines 242, 245, 246: item C081401 is printed with the name 印刷费 (the "
    "economic-class name); the catalogue item is probably named 印刷服务; not checked.",
    "PROCUREMENT line 237: a third unit level 1040010 with the same name as 104001; its "
    "meaning (a budget sub-unit / 预算单位 code) is not explained.",
    "PROCUREMENT lines 243-244: furniture bought under 其他资本性支出; 31002 办公设备购置 "
    "would be the usual economic code. A judgement, not a provable error.",
    "EXPENDITURE/GENERAL tables: 人才专项资金 (1440) is put on 2013102 under 20131 党委办公厅"
    "（室）及相关机构事务 rather than under 20132 组织事务. Plausible but unusual.",
    "2080501 行政单位离退休 19.52 vs 303 离休费+退休费 11.69+6.66 = 18.35 (+ 奖励金 0.06): the "
    "function line also carries some 302/301 money; not an error by itself. Together with "
    "the 30109 gap (1.42) and 2013201+2013250 (786.30) vs 301 without pension/annuity/housing "
    "+ 302 (785.99) the three differences net to zero (0.31 + 1.11 - 1.42).",
    "三公 公务用车运行维护费 9.01 > basic 30231 8.20 (and procurement 3.20+5.00 = 8.20): the "
    "0.81 must come from projects; consistent, not an error.",
]


# ---------------------------------------------------------------------------------------
# Self-checks: the internal sums of the transcription, wherever the published document
# itself adds up (so a typo in the transcription shows).  Blank = 0.
# ---------------------------------------------------------------------------------------
def _n(value):
    return Decimal(value) if value is not None else Decimal("0")


def _children(rows, code):
    """Direct children of a function code among coded rows (类 3 -> 款 5 -> 项 7 digits)."""
    return [r for r in rows if r[0].startswith(code) and len(r[0]) == len(code) + 2]


def _check_hierarchy(name, table, columns=None, skip=()):
    rows = table["rows"]
    assert rows[0][0] == "" and rows[0][1] == "合计", name
    coded = rows[1:]
    ncols = len(rows[0][2])
    for c in columns if columns is not None else range(ncols):
        total = _n(rows[0][2][c])
        assert total == sum(_n(r[2][c]) for r in coded if len(r[0]) == 3), (name, c)
        assert total == sum(_n(r[2][c]) for r in coded if len(r[0]) == 7), (name, c)
        for r in coded:
            if len(r[0]) < 7 and (r[0], c) not in skip:
                kids = _children(coded, r[0])
                assert kids, (name, r[0])
                assert _n(r[2][c]) == sum(_n(k[2][c]) for k in kids), (name, r[0], c)


def _self_check():
    # every function code appears in printed order: 类 then its 款 then its 项
    for t in (
        INCOME_TABLE,
        EXPENDITURE_TABLE,
        GENERAL_BUDGET_EXPENDITURE,
        FUND_INCOME,
        FUND_EXPENDITURE,
    ):
        for prev, cur in zip(t["rows"][1:], t["rows"][2:], strict=False):
            assert len(cur[0]) in (3, 5, 7)
            if len(cur[0]) > 3:
                assert cur[0].startswith(prev[0][: len(cur[0]) - 2])
        for r in t["rows"]:
            assert len(r[2]) == len(t["columns"])

    # Table 1
    t1 = INCOME_EXPENDITURE_SUMMARY
    assert [e[0] for e in t1["expenditure"]] == FUNCTION_CLASSES and len(FUNCTION_CLASSES) == 30
    assert sum(_n(v) for _, v in t1["income"]) == _n(t1["income_total"])
    assert sum(_n(v) for _, v in t1["expenditure"]) == _n(t1["expenditure_total"])
    assert t1["income_total"] == t1["expenditure_total"]

    # Table 2: every column, 合计 = Σ 类 = Σ 项, 类 = Σ 款, 款 = Σ 项; row total = Σ sources
    _check_hierarchy("INCOME_TABLE", INCOME_TABLE)
    for r in INCOME_TABLE["rows"]:
        assert _n(r[2][0]) == sum(_n(v) for v in r[2][1:]), r

    # Table 3: the 合计 column adds up fully; 基本/项目 add up only at 合计 and 项 level
    # (the blank 类/款 subtotals are exactly the ones listed in PUBLISHED_DEFECTS)
    _check_hierarchy("EXPENDITURE_TABLE", EXPENDITURE_TABLE, columns=[0])
    rows3 = EXPENDITURE_TABLE["rows"]
    for c in (1, 2):
        assert _n(rows3[0][2][c]) == sum(_n(r[2][c]) for r in rows3 if len(r[0]) == 7)
    for r in rows3:
        if len(r[0]) in (0, 7):
            assert _n(r[2][0]) == _n(r[2][1]) + _n(r[2][2]), r
    blank_subtotals = set()
    for r in rows3[1:]:
        if len(r[0]) < 7:
            for c in (1, 2):
                leaves = [x for x in rows3[1:] if len(x[0]) == 7 and x[0].startswith(r[0])]
                s = sum(_n(x[2][c]) for x in leaves)
                if _n(r[2][c]) != s:
                    assert r[2][c] is None
                    blank_subtotals.add((r[0], EXPENDITURE_TABLE["columns"][c], str(s)))
    listed = {
        (d["row"], d["field"], d["expected"])
        for d in PUBLISHED_DEFECTS
        if d["table"] == "EXPENDITURE_TABLE" and d["printed"] is None
    }
    assert blank_subtotals == listed, blank_subtotals ^ listed

    # Table 4
    t4 = FISCAL_SUMMARY
    assert [e[0] for e in t4["expenditure"]] == FUNCTION_CLASSES
    assert sum(_n(v) for _, v in t4["income"]) == _n(t4["income_total"])
    for c in range(3):
        assert sum(_n(e[1 + c]) for e in t4["expenditure"]) == _n(t4["expenditure_total"][c])
    for e in t4["expenditure"]:
        assert _n(e[1]) == _n(e[2]) + _n(e[3]), e
    assert _n(t4["expenditure_total"][0]) == _n(t4["expenditure_total"][1]) + _n(
        t4["expenditure_total"][2]
    )

    # Table 5
    _check_hierarchy("GENERAL_BUDGET_EXPENDITURE", GENERAL_BUDGET_EXPENDITURE)
    for r in GENERAL_BUDGET_EXPENDITURE["rows"]:
        assert _n(r[2][0]) == _n(r[2][1]) + _n(r[2][2]), r

    # Table 6
    rows6 = BASIC_BY_ECONOMIC["rows"]
    assert rows6[0][:2] == ("", "合计")
    assert _n(rows6[0][2]) == sum(_n(r[2]) for r in rows6 if len(r[0]) == 3)
    assert _n(rows6[0][2]) == sum(_n(r[2]) for r in rows6 if len(r[0]) == 5)
    for r in rows6:
        if len(r[0]) == 3:
            assert _n(r[2]) == sum(
                _n(k[2]) for k in rows6 if len(k[0]) == 5 and k[0][:3] == r[0]
            ), r
    codes6 = [r[0] for r in rows6[1:]]
    assert codes6 == sorted(codes6)

    # Tables 7 and 8
    _check_hierarchy("FUND_INCOME", FUND_INCOME)
    _check_hierarchy("FUND_EXPENDITURE", FUND_EXPENDITURE)
    for r in FUND_EXPENDITURE["rows"]:
        assert _n(r[2][0]) == _n(r[2][1]) + _n(r[2][2]), r

    # Table 9
    rows9, kinds = PROCUREMENT["rows"], PROCUREMENT["row_kinds"]
    assert len(rows9) == len(kinds)
    keys = [k for k, _ in PROCUREMENT_COLUMNS]
    for r in rows9:
        assert list(r) == keys
        assert r["total"] == r["government_total"]
    items = [r for r, k in zip(rows9, kinds, strict=False) if k == "item"]
    groups = [r for r, k in zip(rows9, kinds, strict=False) if k == "group"]
    for field in ("total", "government_total", "quantity"):
        s_items = sum(_n(r[field]) for r in items)
        assert sum(_n(r[field]) for r in groups) == s_items, field
        for r, k in zip(rows9, kinds, strict=False):
            if k in ("total", "department", "unit"):
                assert _n(r[field]) == s_items, (field, r)
    basic_items = rows9[5:7]
    project_items = rows9[8:14]
    assert _n(rows9[4]["total"]) == sum(_n(r["total"]) for r in basic_items)
    assert _n(rows9[7]["total"]) == sum(_n(r["total"]) for r in project_items)
    assert _n(rows9[7]["quantity"]) == sum(_n(r["quantity"]) for r in project_items)

    # Table 10
    assert _n(OPERATING_EXPENSES[0][1]) == sum(_n(v) for _, v in OPERATING_EXPENSES[1:])

    # Table 11
    tp = THREE_PUBLIC
    assert _n(tp["合计"]) == _n(tp["因公出国(境)费"]) + _n(tp["公务接待费"]) + _n(
        tp["公务用车费小计"]
    )
    assert _n(tp["公务用车费小计"]) == _n(tp["公务用车运行维护费"]) + _n(tp["公务用车购置费"])

    # Agreement between tables where the document agrees with itself
    def by_code(t, c=0):
        return {r[0]: r[2][c] for r in t["rows"]}

    inc, exp3, gen5 = (
        by_code(INCOME_TABLE),
        by_code(EXPENDITURE_TABLE),
        by_code(GENERAL_BUDGET_EXPENDITURE),
    )
    assert inc == exp3  # same codes, same totals
    # table 5 = the 一般公共预算 column of table 2; tables 7/8 = its 政府性基金 column
    assert gen5 == {k: v for k, v in by_code(INCOME_TABLE, 1).items() if v is not None}
    assert by_code(FUND_EXPENDITURE) == {
        k: v for k, v in by_code(INCOME_TABLE, 2).items() if v is not None
    }
    assert by_code(FUND_INCOME) == by_code(FUND_EXPENDITURE)
    for (n1, a1), (n4, a4, *_rest) in zip(t1["expenditure"], t4["expenditure"], strict=False):
        assert n1 == n4 and a1 == a4
    assert t1["income"][:2] == t4["income"]
    # 类 amounts of table 1 = 类 rows of table 2, in class order
    class_rows = [r for r in INCOME_TABLE["rows"] if len(r[0]) == 3]
    assert [r[2][0] for r in class_rows] == [a for _, a in t1["expenditure"] if a is not None]
    assert (
        BASIC_BY_ECONOMIC["rows"][0][2]
        == GENERAL_BUDGET_EXPENDITURE["rows"][0][2][1]
        == EXPENDITURE_TABLE["rows"][0][2][1]
    )
    assert _n(GENERAL_BUDGET_EXPENDITURE["rows"][0][2][2]) + _n(
        FUND_EXPENDITURE["rows"][0][2][2]
    ) == _n(EXPENDITURE_TABLE["rows"][0][2][2])
    # procurement basic items = basic 30231 公务用车运行维护费
    assert rows9[4]["total"] == dict((r[0], r[2]) for r in rows6)["30231"]

    assert len(TITLES) == 11
    for d in PUBLISHED_DEFECTS:
        assert d["confidence"] in ("certain", "probable", "minor")
        assert d["table"] == "CROSS" or d["table"] in TABLE_LINES


_self_check()

if __name__ == "__main__":
    counts = {
        "INCOME_EXPENDITURE_SUMMARY": (
            len(INCOME_EXPENDITURE_SUMMARY["income"]),
            len(INCOME_EXPENDITURE_SUMMARY["expenditure"]),
        ),
        "INCOME_TABLE": len(INCOME_TABLE["rows"]),
        "EXPENDITURE_TABLE": len(EXPENDITURE_TABLE["rows"]),
        "FISCAL_SUMMARY": (len(FISCAL_SUMMARY["income"]), len(FISCAL_SUMMARY["expenditure"])),
        "GENERAL_BUDGET_EXPENDITURE": len(GENERAL_BUDGET_EXPENDITURE["rows"]),
        "BASIC_BY_ECONOMIC": len(BASIC_BY_ECONOMIC["rows"]),
        "FUND_INCOME": len(FUND_INCOME["rows"]),
        "FUND_EXPENDITURE": len(FUND_EXPENDITURE["rows"]),
        "PROCUREMENT": len(PROCUREMENT["rows"]),
        "OPERATING_EXPENSES": len(OPERATING_EXPENSES),
        "THREE_PUBLIC": 1,
    }
    for k, v in counts.items():
        print(f"{k}: {v}")
    print(f"PUBLISHED_DEFECTS: {len(PUBLISHED_DEFECTS)}")
    print("all self-checks passed")

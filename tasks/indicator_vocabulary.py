"""The words the indicator extractor (tasks/indicators.py) knows: units, qualifiers, number
patterns, and the words that lead into, compare, or describe a target.

Plain data and compiled patterns, no Django.
"""

import re

# Units that count things: a quantity in one of these may be followed by what it counts
# ("86 个重点项目建设"). A negative look-ahead keeps words such as 条件, 项目, 家庭 and 处理 out.
COUNT_UNITS = {
    "个": "个(?!月|百分点|人)",
    "家": "家(?!庭|长|属|乡)",
    "座": "座",
    "所": "所(?!有|在|得|属|以)",
    "处": "处(?!理|置|级|室)",
    "条": "条(?!件|例|款|线)",
    "项": "项(?!目)",
    "套": "套",
    "名": "名(?!单|称|义|牌|片|优|特)",
    "场": "场(?!所|景|地|馆|次)",
    "场次": "场次",
    "人次": "人次",
    "万人次": "万人次",
    "人": "人(?!民|才|员|口|群|大|社|工)",
    "万人": "万人(?!次)",
    "户": "户(?!籍|口|外|型)",
    "件": "件",
    "台": "台(?!账|帐|阶)",
    "辆": "辆",
    "头": "头(?!部)",
    "万头": "万头",
    "只": "只(?!有|要|是|能)",
    "张": "张",
    "间": "间(?!隔|距)",
    "栋": "栋",
    "次": "次(?!日|年|月|要|生|级|数)",
    "块": "块",
    "批": "批(?!次|准|复)",
    "期": "期(?!间|限|末|初)",
}
# Units that measure an amount: a quantity in one of these followed by a noun describes that
# noun ("年产 20 万吨金属防腐涂料", "10 亿元以上项目").
MEASURE_UNITS = {
    "亿元": "亿元",
    "万元": "万元",
    "元": "元(?!旦|素)",
    "万平方米": "万平方米",
    "平方米": "平方米",
    "平方公里": "平方公里",
    "公里": "公里",
    "千米": "千米",
    "米": "米(?!市|粮|面)",
    "万亩": "万亩",
    "亩": "亩(?!产|均)",
    "公顷": "公顷",
    "万吨": "万吨",
    "吨": "吨(?!半|粮)",
    "万公斤": "万公斤",
    "公斤": "公斤",
    "万千瓦": "万千瓦",
    "千瓦": "千瓦",
    "兆瓦": "兆瓦",
    "万千瓦时": "万千瓦时",
    "千瓦时": "千瓦时",
    "立方米": "立方米",
    "万立方米": "万立方米",
    "个百分点": "个百分点",
    "%": "[%％]",
}
UNIT_PATTERNS = {**COUNT_UNITS, **MEASURE_UNITS}
# Longest first so that 万人次 wins over 万人 and 人, 个百分点 over 个.
UNIT_ALTERNATION = "|".join(
    f"(?:{UNIT_PATTERNS[unit]})" for unit in sorted(UNIT_PATTERNS, key=len, reverse=True)
)

QUALIFIERS = {"以上": ">=", "以下": "<=", "以内": "<=", "左右": "about"}

DIGITS = "0-9０-９"
NUMBER = rf"[{DIGITS}]+(?:[,，][{DIGITS}]{{3}}(?![{DIGITS}]))*(?:[.．][{DIGITS}]+)?"
QUANTITY_RE = re.compile(
    rf"(?P<number>{NUMBER})(?P<space>[ \t\u3000]*)(?P<unit>{UNIT_ALTERNATION})"
    r"(?P<qualifier>[ \t\u3000]*(?:以上|以下|以内|左右))?"
)
# Chinese numerals are read only right after a word that sets a target ("新建三个", "建设一所").
CHINESE_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_QUANTITY_RE = re.compile(
    r"(?<=新增|新建|建成|建设|培育|创建|打造|启动)"
    r"(?P<number>[一二两三四五六七八九十]{1,3})(?P<space>)"
    rf"(?P<unit>{'|'.join(f'(?:{COUNT_UNITS[unit]})' for unit in ('个', '家', '座', '所', '处', '条', '项', '套'))})"
    r"(?P<qualifier>(?:以上|左右))?"
)

# Text inside these pairs is a name or a title, never a target.
QUOTED_RE = re.compile(r"“[^”]*”|‘[^’]*’|「[^」]*」|《[^》]*》|\"[^\"\n]*\"")

# Clause boundaries: a name never reaches across them.
DELIMITERS = frozenset("，。；、：,;:！!？?\n")
# What may follow a quantity that ends its clause.
CLAUSE_END = DELIMITERS | frozenset("）)】]”’」》")

# Lead-in words that only say the target is to be met; dropped from the start of a name.
LEAD_WORDS = (
    "集中力量",
    "进一步",
    "全年",
    "年内",
    "今年",
    "力争",
    "确保",
    "完成",
    "实现",
    "争取",
    "争创",
    "努力",
    "全力",
    "累计",
    "实施",
    "其中",
    "计划",
    "预计",
    "大力",
    "积极",
    "并",
    "共",
)
# Words before the number that compare: dropped from the end of a name (longest first).
COMPARISON_WORDS = (
    ("控制在", "<="),
    ("不超过", "<="),
    ("不高于", "<="),
    ("低于", "<="),
    ("保持在", ">="),
    ("稳定在", ">="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("达到", ">="),
    ("突破", ">="),
    ("超过", ">="),
    ("达", ">="),
    ("约", "about"),
    ("在", ""),
    ("为", ""),
)
# A percentage after one of these is a growth rate ("增长 6.5%", "再提高 10%").
GROWTH_WORDS = ("增长", "提高", "提升", "增加")
# Dropped from the end of a name once the growth word is gone.
GROWTH_TAIL_WORDS = ("同比", "比上年", "较上年", "再", "年均")
# Words that begin an action: after a measured amount ("投资 6750 万元建设高标准农田") they
# start a new clause, so the amount is a target and not a description of what follows.
ACTION_WORDS = ("建设", "新建", "实施", "用于", "改造", "对", "开展", "推进", "完成", "打造")
# A name read after the number stops at these ("57 个预备类项目的跟踪", "…进行治理").
TRAILING_NAME_STOPS = ("的", "和", "进行", "应用", "以及", "并")
# … and loses these at its end ("重点项目建设" → 重点项目).
TRAILING_NAME_TAILS = ("建设", "工作")
# Before a measured amount, these words make it describe something ("年产 20 万吨…").
DESCRIPTIVE_PREFIXES = ("年产", "总投资", "占地", "总面积", "建筑面积", "规模")
# A pre-number text that is only one of these is not a name: the name follows the number.
VERBS = frozenset(
    (
        "对",
        "支持",
        "启动",
        "开展",
        "打造",
        "建设",
        "新建",
        "建成",
        "抓好",
        "推进",
        "改造",
        "新增",
        "培育",
        "遴选",
        "储备",
        "动态储备",
        "动态遴选",
        "扶持",
    )
)

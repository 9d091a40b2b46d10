"""Japanese names written in kanji, read with Japanese name readings (Hepburn, long vowels dropped).

Kanji read by anyascii come out in Chinese (安倍晋三: "an bei jin san"), so a Japanese client written
in kanji never met the Latin name on a list ("Shinzo Abe"). No permissively licensed reading library
installs here (pykakasi is GPL; MeCab dictionaries are large), so this is a small documented table:

- common Japanese surnames (the most frequent family names, and those of public figures the lists
  and PEP data name), with their usual readings;
- common given names, read whole (a given name's reading is not the sum of its characters' usual
  readings often enough to need this: 義偉 Yoshihide, 純一郎 Junichiro);
- name readings (nanori) of the characters given names are most often built from, for a given name
  not in the table, each with at most two readings.

A name is read as Japanese only when it splits into a surname from the table and a given name read
whole or character by character; otherwise it is not Japanese to this module (a Chinese name
keeps its pinyin). Readings follow passport Hepburn: long vowels written once (Shinzō: shinzo,
Yūko: yuko), n before a vowel without an apostrophe (Jun'ichirō: junichiro). Pure functions; a
change to any table changes the normaliser's version.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

# Surname kanji -> readings (most usual first).
SURNAMES: dict[str, tuple[str, ...]] = {
    "佐藤": ("sato",), "鈴木": ("suzuki",), "高橋": ("takahashi",), "田中": ("tanaka",),
    "伊藤": ("ito",), "渡辺": ("watanabe",), "渡邊": ("watanabe",), "渡邉": ("watanabe",),
    "渡部": ("watanabe", "watabe"), "山本": ("yamamoto",), "中村": ("nakamura",),
    "小林": ("kobayashi",), "加藤": ("kato",), "吉田": ("yoshida",), "山田": ("yamada",),
    "佐々木": ("sasaki",), "山口": ("yamaguchi",), "松本": ("matsumoto",), "井上": ("inoue",),
    "木村": ("kimura",), "林": ("hayashi",), "斎藤": ("saito",), "斉藤": ("saito",),
    "齋藤": ("saito",), "齊藤": ("saito",), "清水": ("shimizu",), "山崎": ("yamazaki", "yamasaki"),
    "森": ("mori",), "池田": ("ikeda",), "橋本": ("hashimoto",), "阿部": ("abe",), "安倍": ("abe",),
    "石川": ("ishikawa",), "山下": ("yamashita",), "中島": ("nakajima", "nakashima"),
    "石井": ("ishii",), "小川": ("ogawa",), "前田": ("maeda",), "岡田": ("okada",),
    "長谷川": ("hasegawa",), "藤田": ("fujita",), "後藤": ("goto",), "近藤": ("kondo",),
    "村上": ("murakami",), "遠藤": ("endo",), "青木": ("aoki",), "坂本": ("sakamoto",),
    "福田": ("fukuda",), "太田": ("ota",), "西村": ("nishimura",), "藤井": ("fujii",),
    "金子": ("kaneko",), "岡本": ("okamoto",), "藤原": ("fujiwara",), "中野": ("nakano",),
    "三浦": ("miura",), "原田": ("harada",), "中川": ("nakagawa",), "松田": ("matsuda",),
    "竹内": ("takeuchi",), "小野": ("ono",), "田村": ("tamura",), "中山": ("nakayama",),
    "和田": ("wada",), "石田": ("ishida",), "森田": ("morita",), "上田": ("ueda",), "原": ("hara",),
    "内田": ("uchida",), "柴田": ("shibata",), "酒井": ("sakai",), "宮崎": ("miyazaki",),
    "横山": ("yokoyama",), "高木": ("takagi",), "安藤": ("ando",), "宮本": ("miyamoto",),
    "大野": ("ono",), "小島": ("kojima",), "谷口": ("taniguchi",), "今井": ("imai",),
    "工藤": ("kudo",), "高田": ("takada",), "増田": ("masuda",), "丸山": ("maruyama",),
    "杉山": ("sugiyama",), "村田": ("murata",), "大塚": ("otsuka",), "新井": ("arai",),
    "小山": ("koyama",), "平野": ("hirano",), "藤本": ("fujimoto",), "河野": ("kono", "kawano"),
    "上野": ("ueno",), "野口": ("noguchi",), "武田": ("takeda",), "松井": ("matsui",),
    "千葉": ("chiba",), "岩崎": ("iwasaki",), "菅原": ("sugawara",), "木下": ("kinoshita",),
    "久保": ("kubo",), "佐野": ("sano",), "野村": ("nomura",), "松尾": ("matsuo",),
    "市川": ("ichikawa",), "菊地": ("kikuchi",), "菊池": ("kikuchi",), "杉本": ("sugimoto",),
    "古川": ("furukawa",), "大西": ("onishi",), "島田": ("shimada",), "水野": ("mizuno",),
    "桜井": ("sakurai",), "高野": ("takano",), "吉川": ("yoshikawa",), "山内": ("yamauchi",),
    "西田": ("nishida",), "飯田": ("iida",), "菅": ("suga", "kan"), "菅野": ("sugano", "kanno"),
    "岸": ("kishi",), "岸田": ("kishida",), "高市": ("takaichi",), "小泉": ("koizumi",),
    "石破": ("ishiba",), "麻原": ("asahara",), "重信": ("shigenobu",), "麻生": ("aso",),
    "鳩山": ("hatoyama",), "野田": ("noda",), "小渕": ("obuchi",), "村山": ("murayama",),
    "細川": ("hosokawa",), "宮澤": ("miyazawa",), "宮沢": ("miyazawa",),
    "中曽根": ("nakasone",), "東條": ("tojo",), "東条": ("tojo",), "石原": ("ishihara",),
    "小池": ("koike",), "茂木": ("motegi",), "上川": ("kamikawa",), "二階": ("nikai",),
    "甘利": ("amari",), "坂東": ("bando",), "丸岡": ("maruoka",), "奥平": ("okudaira",),
    "松野": ("matsuno",), "枝野": ("edano",), "玉木": ("tamaki",), "上祐": ("joyu",),
    "早川": ("hayakawa",), "新実": ("niimi",), "土谷": ("tsuchiya",), "豊田": ("toyoda",),
    "広瀬": ("hirose",), "村井": ("murai",), "青山": ("aoyama",), "北村": ("kitamura",),
    "北野": ("kitano",), "西川": ("nishikawa",), "大谷": ("otani",), "本田": ("honda",),
    "松下": ("matsushita",), "野中": ("nonaka",), "大島": ("oshima",), "黒田": ("kuroda",),
    "浅野": ("asano",), "竹下": ("takeshita",), "海部": ("kaifu",), "宇野": ("uno",),
    "羽田": ("hata", "haneda"), "三木": ("miki",), "大平": ("ohira",), "鈴村": ("suzumura",),
    "池上": ("ikegami",), "大村": ("omura",), "吉村": ("yoshimura",), "川口": ("kawaguchi",),
    "辻": ("tsuji",), "関": ("seki",), "平田": ("hirata",), "福井": ("fukui",), "宮田": ("miyata",),
    "岩田": ("iwata",), "中田": ("nakata",), "小松": ("komatsu",), "秋山": ("akiyama",),
    "服部": ("hattori",), "荒木": ("araki",), "永井": ("nagai",), "片山": ("katayama",),
    "岡崎": ("okazaki",), "須藤": ("sudo",), "桑原": ("kuwabara",), "松浦": ("matsuura",),
    "大橋": ("ohashi",), "星野": ("hoshino",), "堀": ("hori",), "山中": ("yamanaka",),
    "田口": ("taguchi",), "川村": ("kawamura",), "望月": ("mochizuki",), "小西": ("konishi",),
    "佐伯": ("saeki",), "本間": ("homma", "honma"), "岡": ("oka",), "日高": ("hidaka",),
    "東": ("higashi", "azuma"), "徳川": ("tokugawa",), "織田": ("oda",), "豊臣": ("toyotomi",),
}  # fmt: skip

# Given names read whole -> readings.
GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    "晋三": ("shinzo",), "早苗": ("sanae",), "文雄": ("fumio",), "義偉": ("yoshihide",),
    "純一郎": ("junichiro",), "茂": ("shigeru",), "彰晃": ("shoko",), "房子": ("fusako",),
    "智津夫": ("chizuo",), "太郎": ("taro",), "一郎": ("ichiro",), "次郎": ("jiro",),
    "三郎": ("saburo",), "健": ("ken", "takeshi"), "健一": ("kenichi",), "誠": ("makoto",),
    "浩": ("hiroshi",), "博": ("hiroshi",), "弘": ("hiroshi",), "宏": ("hiroshi",),
    "隆": ("takashi",), "明": ("akira",), "昭": ("akira",), "聡": ("satoshi",), "学": ("manabu",),
    "修": ("osamu",), "勇": ("isamu",), "剛": ("tsuyoshi", "go"), "翔": ("sho",),
    "大輔": ("daisuke",), "大介": ("daisuke",), "拓也": ("takuya",), "直樹": ("naoki",),
    "和也": ("kazuya",), "達也": ("tatsuya",), "哲也": ("tetsuya",), "徹也": ("tetsuya",),
    "健太": ("kenta",), "翔太": ("shota",), "大樹": ("daiki",), "蓮": ("ren",),
    "直人": ("naoto",), "由紀夫": ("yukio",), "佳彦": ("yoshihiko",), "康夫": ("yasuo",),
    "喜朗": ("yoshiro",), "恵三": ("keizo",), "龍太郎": ("ryutaro",), "富市": ("tomiichi",),
    "護熙": ("morihiro",), "喜一": ("kiichi",), "康弘": ("yasuhiro",), "角栄": ("kakuei",),
    "栄作": ("eisaku",), "信介": ("nobusuke",), "英機": ("hideki",), "慎太郎": ("shintaro",),
    "百合子": ("yuriko",), "敏充": ("toshimitsu",), "芳正": ("yoshimasa",), "陽子": ("yoko",),
    "勝信": ("katsunobu",), "俊博": ("toshihiro",), "公三": ("kozo",), "國男": ("kunio",),
    "国男": ("kunio",), "史浩": ("fumihiro",), "幸男": ("yukio",),
    "花子": ("hanako",), "美咲": ("misaki",), "陽菜": ("hina", "haruna"), "結衣": ("yui",),
    "愛": ("ai",), "恵子": ("keiko",), "京子": ("kyoko",), "洋子": ("yoko",), "幸子": ("sachiko",),
    "和子": ("kazuko",), "節子": ("setsuko",), "裕子": ("yuko", "hiroko"), "優子": ("yuko",),
    "久美子": ("kumiko",), "真由美": ("mayumi",), "明美": ("akemi",), "由美子": ("yumiko",),
    "美智子": ("michiko",), "雅子": ("masako",), "紀子": ("noriko",), "典子": ("noriko",),
    "直子": ("naoko",), "智子": ("tomoko",), "友子": ("tomoko",), "朋子": ("tomoko",),
    "美香": ("mika",), "舞": ("mai",), "彩": ("aya",), "真紀": ("maki",), "香織": ("kaori",),
    "恵": ("megumi",), "愛子": ("aiko",), "静香": ("shizuka",), "千尋": ("chihiro",),
    "美穂": ("miho",), "麻衣": ("mai",), "桃子": ("momoko",), "聖子": ("seiko",),
    "清": ("kiyoshi",), "豊": ("yutaka",), "進": ("susumu",), "実": ("minoru",), "稔": ("minoru",),
    "正": ("tadashi",), "武": ("takeshi",), "猛": ("takeshi",), "毅": ("takeshi", "tsuyoshi"),
    "亮": ("ryo", "akira"), "涼": ("ryo",), "雄一": ("yuichi",), "浩二": ("koji",),
    "康介": ("kosuke",), "隆之": ("takayuki",), "秀樹": ("hideki",), "英樹": ("hideki",),
    "正人": ("masato",), "雅人": ("masato",), "和夫": ("kazuo",), "一夫": ("kazuo",),
    "俊夫": ("toshio",), "義雄": ("yoshio",), "春樹": ("haruki",), "光": ("hikaru",),
    "翼": ("tsubasa",), "悟": ("satoru",), "勝": ("masaru",), "昇": ("noboru",), "功": ("isao",),
    "薫": ("kaoru",), "渉": ("wataru",), "望": ("nozomi",), "潤": ("jun",), "淳": ("jun", "atsushi"),
    "純": ("jun",), "仁": ("hitoshi", "jin"), "均": ("hitoshi",), "太一": ("taichi",),
    "健二": ("kenji",), "賢治": ("kenji",), "健司": ("kenji",), "一": ("hajime",),
    "元": ("hajime",), "翔平": ("shohei",), "由紀": ("yuki",), "由紀子": ("yukiko",),
    "雪": ("yuki",), "大": ("dai", "masaru"), "晋": ("susumu", "shin"), "裕": ("yutaka", "hiroshi"),
}  # fmt: skip

# Name readings of the characters given names are most often built from (at most two each).
NAME_CHARACTERS: dict[str, tuple[str, ...]] = {
    "一": ("ichi", "kazu"), "二": ("ji",), "三": ("zo", "mitsu"), "郎": ("ro",), "太": ("ta",),
    "子": ("ko",), "美": ("mi",), "雄": ("o", "yu"), "夫": ("o",), "男": ("o",), "彦": ("hiko",),
    "介": ("suke",), "助": ("suke",), "輔": ("suke",), "也": ("ya",), "人": ("to",), "樹": ("ki",),
    "恵": ("e", "kei"), "香": ("ka",), "奈": ("na",), "菜": ("na",), "花": ("hana", "ka"),
    "代": ("yo",), "江": ("e",), "枝": ("e",), "由": ("yu",), "紀": ("ki", "nori"),
    "和": ("kazu",), "正": ("masa",), "雅": ("masa",), "昌": ("masa",), "政": ("masa",),
    "義": ("yoshi",), "芳": ("yoshi",), "良": ("yoshi",), "吉": ("yoshi",), "佳": ("yoshi", "ka"),
    "秀": ("hide",), "英": ("hide", "ei"), "偉": ("hide",), "博": ("hiro",), "弘": ("hiro",),
    "宏": ("hiro",), "浩": ("hiro",), "裕": ("hiro", "yu"), "洋": ("hiro", "yo"), "康": ("yasu",),
    "安": ("yasu",), "泰": ("yasu",), "信": ("nobu",), "伸": ("nobu", "shin"), "直": ("nao",),
    "尚": ("nao",), "明": ("aki",), "昭": ("aki",), "晃": ("aki",), "彰": ("aki", "sho"),
    "章": ("aki",), "光": ("mitsu",), "充": ("mitsu",), "満": ("mitsu",), "俊": ("toshi",),
    "敏": ("toshi",), "利": ("toshi",), "寿": ("toshi",), "健": ("ken",), "賢": ("ken",),
    "謙": ("ken",), "憲": ("ken",), "達": ("tatsu",), "龍": ("ryu", "tatsu"), "竜": ("ryu", "tatsu"),
    "隆": ("taka",), "高": ("taka",), "貴": ("taka",), "孝": ("taka",), "崇": ("taka",),
    "喜": ("ki", "yoshi"), "幸": ("yuki", "sachi"), "之": ("yuki",), "行": ("yuki",),
    "勝": ("katsu",), "克": ("katsu",), "哲": ("tetsu",), "徹": ("tetsu",), "真": ("ma", "shin"),
    "智": ("tomo", "chi"), "友": ("tomo",), "朋": ("tomo",), "春": ("haru",), "晴": ("haru",),
    "陽": ("haru", "yo"), "治": ("ji", "haru"), "次": ("ji",), "司": ("ji",), "平": ("hei",),
    "作": ("saku",), "吾": ("go",), "悟": ("go",), "剛": ("go",), "大": ("dai", "hiro"),
    "文": ("fumi",), "史": ("fumi", "shi"), "房": ("fusa",), "純": ("jun",), "潤": ("jun",),
    "栄": ("ei",), "恭": ("kyo",), "京": ("kyo",), "啓": ("kei",), "圭": ("kei",), "慶": ("kei",),
    "敬": ("kei",), "誠": ("sei", "makoto"), "清": ("kiyo",), "聖": ("sei",), "成": ("nari", "sei"),
    "茂": ("shige",), "重": ("shige",), "繁": ("shige",), "慎": ("shin",), "晋": ("shin",),
    "新": ("shin",), "早": ("sa",), "沙": ("sa",), "咲": ("saki",), "苗": ("nae",),
    "里": ("ri", "sato"), "理": ("ri",), "莉": ("ri",), "千": ("chi",), "麻": ("ma", "asa"),
    "亜": ("a",), "愛": ("ai",), "綾": ("aya",), "彩": ("aya",), "絵": ("e",), "衣": ("i",),
    "結": ("yui",), "優": ("yu",), "悠": ("yu",), "勇": ("yu", "isa"), "百": ("momo",),
    "桃": ("momo",), "合": ("ri",), "翔": ("sho",), "輝": ("teru", "ki"),
    "宗": ("mune",), "忠": ("tada",), "久": ("hisa",), "恒": ("tsune",), "常": ("tsune",),
    "実": ("mi",), "穂": ("ho",), "保": ("ho",), "夏": ("natsu",), "秋": ("aki",), "冬": ("fuyu",),
    "道": ("michi",), "通": ("michi",), "路": ("ji",), "郁": ("iku",), "育": ("iku",),
    "紘": ("hiro",), "寛": ("hiro",), "基": ("moto",),
    "元": ("moto",), "本": ("moto",), "国": ("kuni",), "國": ("kuni",), "邦": ("kuni",),
    "守": ("mori",), "盛": ("mori",), "勉": ("tsutomu",), "務": ("tsutomu",),
}  # fmt: skip

MAX_READINGS = 8
"""A name read character by character gives at most this many readings (combinations are cut)."""


def _given_readings(given: str) -> tuple[str, ...]:
    whole = GIVEN_NAMES.get(given)
    if whole:
        return whole
    if not 1 <= len(given) <= 3:
        return ()
    if any(char not in NAME_CHARACTERS for char in given):
        return ()
    per_character = [NAME_CHARACTERS[char] for char in given]
    combinations = itertools.islice(itertools.product(*per_character), MAX_READINGS)
    return tuple("".join(parts) for parts in combinations)


@lru_cache(maxsize=50_000)
def japanese_readings(text: str) -> tuple[str, ...]:
    """Latin readings of a kanji name as "surname given" ("安倍晋三": ("abe shinzo",)), or ()
    when the name does not split into a known surname and a given name read here.

    A space may separate the two; without one every split is tried, longest surname first."""
    words = text.split()
    if len(words) == 2:
        splits = [(words[0], words[1])]
    elif len(words) == 1:
        word = words[0]
        splits = [(word[:cut], word[cut:]) for cut in range(min(3, len(word) - 1), 0, -1)]
    else:
        return ()
    found: list[str] = []
    for surname, given in splits:
        surnames = SURNAMES.get(surname)
        if not surnames:
            continue
        givens = _given_readings(given)
        found.extend(f"{family} {first}" for family in surnames for first in givens)
        if found:
            break  # the longest known surname that leaves a readable given name
    return tuple(dict.fromkeys(found))[:MAX_READINGS]

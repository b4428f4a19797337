"""Writes the demo CSV files (organisations, scenarios, achievements) from the hand-written
tables in orgs.py, needs.py and techs.py. Run from this folder: python3 generate.py
The output is committed; the platform loads the CSV files, not this script."""
import csv

from needs import NEEDS
from orgs import ORGS
from techs import TECHS

EXTRA_HOLDERS = {
    "排爆处置机器人": [("tj-robot", "便携式", "Portable ", 6, "licence")],
    "集装箱锁销自动拆装系统": [("buaa-robotics", "视觉", "Vision-based ", 5, "joint_development")],
    "免示教智能焊接机器人": [("tj-robot", "", "", 7, "licence")],
    "低速自动驾驶接驳车": [("catarc", "", "", 6, "licence")],
    "退役动力电池快速分选与健康评估": [("bj-newenergy", "储能梯次利用", "Second-life ", 7, "investment")],
    "车载离线多模态交互引擎": [("nankai-ai", "", "", 5, "joint_development")],
    "带钢表面缺陷在线检测系统": [("nankai-ai", "", "", 6, "licence")],
    "北斗毫米级形变监测系统": [("tj-icv", "桥梁", "Bridge ", 7, "licence")],
}

# A holder whose variant has no prefix of its own in techs.py, where another holder already
# offers the technology under the plain title: the variant that tells the two apart.
VARIANTS = {
    ("catarc", "重卡快速换电系统"): ("顶吊式", "Top-lift "),
    ("bj-ai-startup", "车载离线多模态交互引擎"): ("轻量化", "Lightweight "),
    ("nankai-ai", "车载离线多模态交互引擎"): ("方言增强", "Dialect-enhanced "),
    ("cas-chem", "富氢气体直接还原炼铁工艺包"): ("焦炉煤气", "Coke-oven-gas "),
    ("tju-chem", "工业废盐热解-精制资源化技术"): ("农药废盐", "Pesticide "),
    ("tju-chem", "低能耗相变吸收剂二氧化碳捕集"): ("钢厂烟气", "Steel-flue-gas "),
    ("cas-space", "危化品泄漏光学成像监测系统"): ("无人机载", "Drone-borne "),
    ("tju-chem", "无铬鞣剂与清洁鞣制工艺"): ("毛皮", "Fur "),
    ("tju-chem", "高通量抗污染 PVDF 中空纤维超滤膜"): ("市政污水", "Municipal-wastewater "),
    ("tiangong-membrane", "高盐废水膜法浓缩与零排放工艺"): ("煤化工", "Coal-chemical "),
    ("hebut", "烧结金属网复合膜支撑体"): ("高温除尘", "High-temperature dust-removal "),
    ("bit-ai", "北斗毫米级形变监测系统"): ("边坡", "Slope "),
    ("bj-govtech", "城市无人机调度与空域管理平台"): ("政务", "Government "),
    ("bit-ai", "工业安全视觉识别平台"): ("边缘端", "Edge "),
    ("nankai-ai", "工业安全视觉识别平台"): ("矿山", "Mining "),
    ("bj-ai-startup", "混合整数规划智能排产引擎"): ("云端", "Cloud "),
    ("bit-ai", "城市事件视频智能发现与闭环处置系统"): ("多模态大模型", "Multimodal large-model "),
    ("cas-space", "CIM 数字孪生城市平台"): ("遥感增强", "Remote-sensing "),
    ("bj-ai-startup", "政务智能问答与材料预审系统"): ("大模型", "Large-model "),
    ("cas-chem", "全钒液流电池长时储能系统"): ("高功率密度", "High-power-density "),
    ("tju-chem", "宽功率波动碱性电解水制氢装置"): ("离网型", "Off-grid "),
    ("bj-govtech", "园区能碳一体化管理平台"): ("政府监管版", "Regulator's "),
    ("cas-chem", "高产工业菌株合成生物学平台"): ("化工原料", "Chemical-feedstock "),
    ("nankai-ai", "日光温室环境与水肥智能调控系统"): ("视觉感知", "Vision-based "),
    ("hebut", "丘陵山区小型电动智能农机"): ("果园", "Orchard "),
}

ORG_NAMES = {o[0]: (o[1], o[2]) for o in ORGS}


def write(name, header, rows):
    with open(name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def orgs():
    rows = []
    for key, zh, en, kind, region, chain, intro_zh, intro_en, contact, phone in ORGS:
        email = f"contact@{key}.example.cn"
        rows.append([key, zh, en, kind, region, chain, intro_zh, intro_en, contact, phone, email, ""])
    write("organisations.csv", ["key", "name_zh", "name_en", "kind", "region", "chain", "intro_zh", "intro_en",
                                "contact_name", "contact_phone", "contact_email", "website"], rows)


def scenarios():
    rows = []
    n = 0
    for chain, field, tz, te, dz, de, trl, bmin, bmax, sites in NEEDS:
        for i, (org, site_zh, site_en, region) in enumerate(sites):
            n += 1
            # Vary what differs between sites in a plausible way: maturity, budget, deadline, status.
            t = max(1, min(9, trl - (1 if i == 2 else 0)))
            scale = [1.0, 0.8, 1.25][i % 3]
            lo, hi = round(bmin * scale), round(bmax * scale)
            month = 1 + (n * 5) % 12
            deadline = f"2027-{month:02d}-{[15, 20, 28][n % 3]:02d}"
            status = "published"
            if n % 17 == 0:
                status = "matched"
            elif n % 29 == 0:
                status = "closed"
            elif n % 23 == 0:
                status = "draft"
            owner_zh, _ = ORG_NAMES[org]
            conf = (f"现场联系人：{owner_zh} 项目负责人，手机 139{n:08d}；现场踏勘须提前 3 个工作日预约；"
                    f"内部预算批复文号 冀预〔2026〕{100 + n} 号。")
            rows.append([f"scn-demo-{n:03d}", org, tz.format(s=site_zh), te.format(s=site_en),
                         dz.format(s=site_zh), de.format(s=site_en), chain, field, t, lo, hi, region,
                         deadline, status, conf])
    write("scenarios.csv", ["key", "org_key", "title_zh", "title_en", "description_zh", "description_en", "chain",
                            "field", "trl_required", "budget_min_wan", "budget_max_wan", "region", "deadline",
                            "status", "confidential"], rows)
    return len(rows)


def achievements():
    rows = []
    n = 0
    for chain, field, tz, te, sz, se, ip, holders in TECHS:
        for org, pz, pe, trl, coop in holders + EXTRA_HOLDERS.get(tz, []):
            if not pz:
                pz, pe = VARIANTS.get((org, tz), ("", ""))
            n += 1
            owner_zh, _ = ORG_NAMES[org]
            title_en = (pe + te)[0].upper() + (pe + te)[1:]
            team = f"{owner_zh}团队，核心成员 {4 + n % 9} 人（教授/高工 {1 + n % 3} 人）"
            status = "draft" if n % 31 == 0 else "published"
            conf = (f"技术许可报价区间 {50 + (n * 37) % 400} 万元起；样机测试报告编号 TR-2026-{n:04d}；"
                    f"核心工艺参数仅在签署保密协议后提供。")
            rows.append([f"ach-demo-{n:03d}", org, pz + tz, title_en, sz, se, chain, field, trl, ip, team, coop,
                         status, conf])
    titles = [r[2] for r in rows]
    dup = sorted({t for t in titles if titles.count(t) > 1})
    assert not dup, f"achievement titles offered twice: {dup}"
    write("achievements.csv", ["key", "org_key", "title_zh", "title_en", "summary_zh", "summary_en", "chain", "field",
                               "trl", "ip", "team", "coop_modes", "status", "confidential"], rows)
    return len(rows)


if __name__ == "__main__":
    orgs()
    print(len(ORGS), "organisations,", scenarios(), "scenarios,", achievements(), "achievements")

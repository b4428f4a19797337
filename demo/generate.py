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
    "北斗毫米级形变监测系统": [("tj-icv", "车道级", "Lane-level ", 7, "licence")],
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
            n += 1
            owner_zh, _ = ORG_NAMES[org]
            title_en = (pe + te)[0].upper() + (pe + te)[1:]
            team = f"{owner_zh}团队，核心成员 {4 + n % 9} 人（教授/高工 {1 + n % 3} 人）"
            status = "draft" if n % 31 == 0 else "published"
            conf = (f"技术许可报价区间 {50 + (n * 37) % 400} 万元起；样机测试报告编号 TR-2026-{n:04d}；"
                    f"核心工艺参数仅在签署保密协议后提供。")
            rows.append([f"ach-demo-{n:03d}", org, pz + tz, title_en, sz, se, chain, field, trl, ip, team, coop,
                         status, conf])
    write("achievements.csv", ["key", "org_key", "title_zh", "title_en", "summary_zh", "summary_en", "chain", "field",
                               "trl", "ip", "team", "coop_modes", "status", "confidential"], rows)
    return len(rows)


if __name__ == "__main__":
    orgs()
    print(len(ORGS), "organisations,", scenarios(), "scenarios,", achievements(), "achievements")

"""Write a valid standards folder with N standards, for benchmarks at any size.

    python benchmarks/make_handbook.py N OUTDIR [--seed 2026]

The text is Chinese of realistic length (titles of 3-5 words, rules of 2-3 sentences,
inspection notes, checklist items, bases with notes), drawn from a fixed vocabulary taken from
the bundled handbook, so every character is in the form font and jieba has real words to cut.
The same N and seed always give the same files. Chapters hold 50 standards each (a YAML file
has a node limit), there is one record template per 100 standards and one glossary term per
20 standards.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
from pathlib import Path

import yaml

PER_CHAPTER = 50
PER_TEMPLATE = 100
PER_TERM = 20

# The 900 commonest words of two to four characters in the bundled handbook (jieba's cut).
WORDS = """
党员 党支部 支部 记录 工作 组织生活 上级 台账 委员会 党组织 情况 示例 党费 党小组 谈话 入党 意见
建设 会议 选举 党员大会 主题 查阅 核对 是否 时间 整改 组织 发展 一般 委员 条例 教育 召开 交纳
标准化 规范化 党日 文件 管理 每年 问题 开展 会议记录 活动 实施 及时 书记 市直机关 地方 收缴 材料
学习 批复 参加 讨论 应当 人数 登记 内容 谈心 规定 进行 发展党员 签字 不少 大会 政治 三会 一课
结果 归档 日期 正式 登记表 人员 报告 事项 党课 使用 要求 换届 审查 年度 至少 调整 对象 每月
活动室 试行 不得 评定 超过 确定 考察 合格 决定 完成 固定 预备党员 基数 程序 访谈 备案 设置 基本
完整 补选 积极分子 民主评议 以上 按照 明确 公开 组长 管理工作 转正 通报 处置 成立 落实 了解 更新
换届选举 按期 任期 批准 方式 批评 请示 分工 地点 相对 信息 按时 时限 标准 计划 集中 培训 星级
自查 组织关系 单位 支部书记 接收 一票否决 候选人 清单 审批 花名册 党委 学时 本人 制度 自我批评
方案 阵地 保存期 督导 按规定 申请 实际 变动 比例 民主 培养 公示 议题 缺席 平台 之间 党务 评星
定级 形式 同意 产生 支部委员 查看 对照 齐全 介绍 每季度 议事 资料 整改措施 等次 上缴 交接 本章
条件 提出 规范 可以 建立 一致 提前 预备 实到人数 原因 一次 申请人 并报 通过 表决 请假 议定 改正
共享 设立 转接 原则 研究 指定 章程 出缺 实行 整理 保存 预审 全体 重要 抽查 领导 思想 制定
主持人 逐项 连续 集中学习 会后 销号 依据 限期 主要 编入 实地 符合规定 划分 安排 需要 每名 必须
其他 结合 届满 基层组织 人选 主持 工作细则 联系人 形成 党旗 干部 第五章 签到 班子 自评 评议
工资收入 用于 长期 保管 装订 四强 述职 联合 关于 书面 或者 职务 一年 动态 延期 公布 结束 经过
申请书 培养教育 宣誓 检查 召集 参会 开展批评 年度计划 代替 提醒 志愿 服务 逐人 征求意见 对照检查
一并 金额 公开栏 活动场所 目录 复核 以及 相符 请示报告 推荐 接受 所在 姓名 报批 差额 计票 坚持
半年 听取 不能 工作日 预备期 计算 半数以上 逐月 讲稿 突出 具体 统一 发言 补学 考勤 特殊 每次
责任人 查摆 誓词 互评 专人 保密 存放 应到人数 序号 不足 一个 生活 未经 起止 根据 办法 无记名
投票 应选 应到 当选 第十一条 突击 严格 期满 表决权 课件 第十六条 全年 党性 锻炼 通知 补记
正当理由 核实 准备 反馈 相互 列席 民主测评 日常 作出 核定 应交 补交 自行 脱党 除名 网上 预约
负责 涉密 专柜 最高 申报 观摩 授课 组成 职责 全部 小组 名单 发生 记载 酝酿 事先 差额选举 选票
档案 留存 收到 采取 每半年 一章 证明 政审 各类 委托 随时 经常性 年初 如实 事后 照片 双重 当月
月度 汇总 党章 方向 报送 个人 措施 准确 领取 工资 税后 收入 第一季度 扣缴 没有 欠交 足额 凭证
共建 办公 区域 借阅 发现 备份 办理 作用 发挥 评分表 对账 情形 归入 名称 备注 基础 信息管理 机关
地域 相邻 行业 相近 规模 适当 便于管理 基层单位 第五条 覆盖 撤销 所在单位 不设 必要 职数 分散
第十三条 特定 群众 监督 每个 并且 随机 外出 转移 转入 责任 无故 经常 介绍信 存根 调动 回执
发生变化 做到 上次 写明 充分 方可 提交 选举权 原则上 阶段 放在首位 自愿 个别 吸收 符合 年满
先进分子 团组织 推优 定期 具备 列为 应有 听取意见 身份 认为 赞成 面向 志愿书 第十四条 次数 带头
会议主题 业务 记录本 要点 要素 真实 达到 党建 附件 党内 党规 变化 分为 优秀 帮助 主动 代交 严禁
垫交 摊派 确认 挪用 实交 场所 标识 张贴 上墙 配备 种类 依托 信息化 纸质 本手册 模板 总目录 编造
涉及 质量 功能 党员队伍 五星级 自查报告 未达标 申报材料 佐证 核查 作为 单元 机构 单独 组建 首次
宣传 纪检 时可设 第六章 比较 便于 若干 居住地 不论 高低 第八条 逐一 转出 继续 拒转 拒接 应转
尽转 性别 出生年月 数据 抽取 信息系统 每届 五分 之四 实到 采用 票数 参照 执行 控制 总量 优化结构
提高质量 发挥作用 下达 禁止 有无 按计划 第一条 第七条 符合要求 两名 间隔 综合 结业 集体 具有 权限
基层 逐个 半数 之日起 能否 转为 告知 决策机构 第十二条 先经 近半年 针对 回应 普遍 关心 运用 庄重
当场 领导班子 普通党员 周内 无故缺席 统计 多次 知晓 节点 学习材料 无以 低于 轮训 工作日内 资料齐全
第四季度 做好 三项 认真学习 支委 会上 指导 日内 苗头 交流思想 表现 测评 愿意 帮教谈话 义务
工资总额 月工资 四档 季度 以新 以外 各种 目的 多交 纪律 处理 分配 截留 满足 同一 悬挂 包括 整洁
现场 理论 读本 党报 党刊 挪作他用 在线 上网 或线 原始记录 考核 编制 一类 一册 完毕 反映 撕页
涂改 原件 移交 存入 电子 列出 手册 打分 达标 工作手册 评分 指出 说明 存在 二星级 一页 交流 题目
人及 编号 位置 得分 两化 内设 直属单位 凡有 明显增加 减少 第四条 凡是 超出 或经 机关党委 第二章
提出申请 时设 科学 任务 党内外 掌握 游离 之外 已经 在编 人员名单 无未 应逐人 尚未 负有 人事 系统
联系方式 账实 健全 信息库 加强 全国 近期 正常 运转 确需 须报 逾期 推算 取得 严格执行 有效 获得
赞成票 一半 始得 选举人 对应 得票 充分发扬 封存 工作调动 退休 临时 有关 人事变动 成册 最近 五个
始终 成熟 第三条 指标 受理 符合条件 派人同 登记在册 十八岁 承认 党的纲领 申请加入 一个月 内派 人同
落款 年龄 一至 申请入党 结论性 三天 之前 结论 影响 决议 违反 第六条 填写 其为 之日算 合称 频次
应先经 设有 汇报 班子成员 备查 讲课 效果 形式多样 氛围 聚焦 字迹 注明 会外 应以 补课 因故 情节
较轻 进行批评 一天 随意 另行安排 缺月 贴近 无缺 部署 中心 党日应 聚餐 一般性 参观 实效 包含 因公
总数 跟踪 明确责任 下次 督办 统筹 保证 第二十条 同步 第十七条 本年度 会应 座谈 广泛 征求 梳理
归类 直接 建议 提纲 表扬 可派 书面报告 会前 较大 出现 坦诚相见 简要 第十九条 负责人 针对性
第十八条 第三十条 帮教 以下 第二条 财务部门 出具 验算 正确 无误 亲属 断档 第十条 工资标准 调资
代扣 无垫交 第九条 六个月 这样 予以
""".split()  # noqa: SIM905 - one block of words reads and diffs better than a list

DOCUMENTS = (
    "《中国共产党党务公开条例（试行）》", "《中国共产党党员教育管理工作条例》", "《中国共产党发展党员工作细则》",
    "《中国共产党基层组织选举工作条例》", "《中国共产党支部工作条例（试行）》", "《中国共产党章程》",
    "《关于中国共产党党费收缴、使用和管理的规定》", "《示例市直机关党支部标准化规范化建设实施意见》",
)
FREQUENCIES = (("standing", "长期坚持"), ("as-needed", "按需开展"), ("monthly", "每月"), ("quarterly", "每季度"),
               ("half-yearly", "每半年"), ("yearly", "每年"), ("per-term", "每届"))
ROLES = (("committee", "支部委员会"), ("secretary", "支部书记"), ("organising", "组织委员"),
         ("propaganda", "宣传委员"), ("discipline", "纪检委员"), ("members", "全体党员"))
METHODS = (("records", "查阅资料"), ("site", "实地查看"), ("interview", "个别访谈"))
ARTICLES = "一二三四五六七八九十"


class _Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def phrase(self, low: int, high: int) -> str:
        """Words run together to between low and high characters."""
        target = self.rng.randint(low, high)
        out = ""
        while len(out) < target:
            out += self.rng.choice(WORDS)
        return out

    def sentence(self, low: int, high: int, *, numbers: bool = True) -> str:
        """A sentence of clauses split by commas, sometimes with a count or a bold phrase."""
        target = self.rng.randint(low, high)
        clauses: list[str] = []
        length = 0
        while length < target:
            clause = self.phrase(6, 16)
            roll = self.rng.random()
            if numbers and roll < 0.15:
                clause += f"{self.rng.randint(1, 12)} 次"
            elif numbers and roll < 0.25:
                clause = f"**{clause}**"
            clauses.append(clause)
            length += len(clause) + 1
        return "，".join(clauses) + "。"

    def title(self) -> str:
        return self.phrase(6, 14)


def handbook_files(n: int, seed: int = 2026) -> dict[str, str]:
    """Path (relative to the standards folder) -> YAML text, for N standards."""
    w = _Writer(seed)
    chapters = max(3, math.ceil(n / PER_CHAPTER))
    templates = [f"TPL-{i:03d}" for i in range(1, max(2, math.ceil(n / PER_TEMPLATE)) + 1)]
    # spread N standards over the chapters as evenly as possible
    per = [n // chapters + (1 if c < n % chapters else 0) for c in range(chapters)]
    ids = [f"S{c + 1:03d}-{k + 1:02d}" for c in range(chapters) for k in range(per[c])]
    files: dict[str, str] = {}
    total = 0
    start = 0
    for c in range(chapters):
        mine = ids[start:start + per[c]]
        start += per[c]
        standards = []
        for sid in mine:
            checks = [{"text": w.sentence(12, 26, numbers=False).rstrip("。"), "points": w.rng.randint(1, 2)}
                      for _ in range(w.rng.randint(1, 4))]
            points = sum(item["points"] for item in checks)
            total += points
            std = {
                "id": sid,
                "title": w.title(),
                "text": "\n".join(w.sentence(30, 60) for _ in range(w.rng.randint(2, 3))) + "\n",
                "frequency": w.rng.choice(FREQUENCIES)[0],
                "responsible": sorted({w.rng.choice(ROLES)[0] for _ in range(w.rng.randint(1, 2))}),
                "basis": [{"document": w.rng.choice(DOCUMENTS),
                           "article": f"第{w.rng.choice(ARTICLES)}{w.rng.choice(('', '十'))}条",
                           "note": w.sentence(20, 50, numbers=False)}
                          for _ in range(w.rng.randint(1, 2))],
                "evidence": [{"text": w.phrase(4, 10), "template": w.rng.choice(templates)}],
                "methods": sorted({w.rng.choice(METHODS)[0] for _ in range(w.rng.randint(1, 2))}),
                "inspection": w.sentence(30, 60),
                "points": points,
                "checks": checks,
            }
            if w.rng.random() < 0.05:
                std["veto"] = True
            others = [o for o in mine if o != sid]
            if others:
                std["related"] = sorted(w.rng.sample(others, min(len(others), w.rng.randint(0, 2))))
                if not std["related"]:
                    del std["related"]
            std["tags"] = sorted({w.rng.choice(WORDS) for _ in range(w.rng.randint(1, 3))})
            standards.append(std)
        chapter = {"chapter": f"area-{c + 1:03d}", "title": w.title(), "summary": w.sentence(40, 90) + "\n",
                   "standards": standards}
        files[f"chapters/{c + 1:03d}-area.yml"] = _dump(chapter)
    files["handbook.yml"] = _dump({
        "handbook": {"title": "标准化规范化建设工作手册（基准测试）", "short_title": "基准测试手册",
                     "issuer": "示例机关（基准测试）", "language": "zh",
                     "disclaimer": "本手册由基准测试脚本生成，内容为随机组合的示例文字。"},
        "edition": {"id": "bench", "label": "基准测试版", "effective": "2026-01-01"},
        "vocabulary": {"frequencies": [{"id": i, "label": t} for i, t in FREQUENCIES],
                       "roles": [{"id": i, "label": t} for i, t in ROLES],
                       "methods": [{"id": i, "label": t} for i, t in METHODS]},
        "rating": {"total": total,
                   "levels": [{"stars": s, "label": label, "min_score": total * pct // 100}
                              for s, label, pct in ((5, "五星级", 90), (4, "四星级", 80), (3, "三星级", 70),
                                                    (2, "二星级", 60), (1, "一星级", 0))],
                   "veto_max_stars": 2, "veto_note": "标注“一票否决”的标准未达标的，评定等次最高为二星级。"},
    }).replace("effective: '2026-01-01'", "effective: 2026-01-01")
    tpls = []
    for i, tid in enumerate(templates):
        tpl = {"id": tid, "title": w.phrase(4, 9) + "记录", "purpose": w.sentence(30, 70)}
        if i % 2:
            tpl["columns"] = [{"label": w.phrase(2, 6), "width": w.rng.randint(1, 3)} for _ in range(w.rng.randint(3, 6))]
            tpl["rows"] = 15
        else:
            tpl["fields"] = [{"label": w.phrase(2, 6), "lines": w.rng.choice((1, 1, 2, 3))}
                             for _ in range(w.rng.randint(5, 10))]
        tpl["keeping"] = w.sentence(15, 30, numbers=False)
        tpls.append(tpl)
    files["templates.yml"] = _dump({"templates": tpls})
    terms = []
    for i in range(max(3, n // PER_TERM)):
        terms.append({"id": f"term-{i + 1:04d}", "term": w.phrase(4, 8), "definition": w.sentence(30, 70),
                      "aliases": [w.phrase(3, 6)], "see": sorted(w.rng.sample(ids, min(len(ids), 2)))})
    files["glossary.yml"] = _dump({"glossary": terms})
    return files


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def write_handbook(n: int, out: Path, seed: int = 2026) -> Path:
    """Write the folder (replacing it) and return it."""
    if out.exists():
        shutil.rmtree(out)
    for rel, text in handbook_files(n, seed).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of standards")
    parser.add_argument("out", type=Path, help="folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    write_handbook(args.n, args.out, args.seed)
    print(f"wrote {args.n} standards to {args.out}")


if __name__ == "__main__":
    main()

"""The words of the compliance report in English, Chinese (simplified) and Urdu (pure): one table for the
PDF (`report_pdf`) and the HTML page (`report.to_html`), read with `outrider.languages.words`."""

from __future__ import annotations

# key -> (English, Chinese (simplified), Urdu); {name}s are the values put in
WORDS: dict[str, tuple[str, str, str]] = {
    "title": ("Protocol compliance report", "协议遵守情况报告", "پروٹوکول کی پابندی کی رپورٹ"),
    "doc": (
        "Protocol compliance {start} to {end}",
        "协议遵守情况 {start} 至 {end}",
        "پروٹوکول کی پابندی {start} تا {end}",
    ),
    "period": ("Period {start} to {end}", "期间 {start} 至 {end}", "مدت {start} تا {end}"),
    "organisation": ("organisation {name}", "组织 {name}", "تنظیم {name}"),
    "protocol": ("protocol {name}", "协议 {name}", "پروٹوکول {name}"),
    "protocol_hash": (
        "protocol {id} v{version} sha256 {hash}",
        "协议 {id} 第 {version} 版 sha256 {hash}",
        "پروٹوکول {id} ورژن {version} sha256 {hash}",
    ),
    "generated": ("Generated {at}.", "生成于 {at}。", "تیاری کا وقت {at}۔"),
    "evaluations": ("Evaluations", "评估次数", "جانچیں"),
    "movements": ("Movements", "行程", "نقل و حرکت"),
    "passed": ("Passed (no blocking failure)", "通过（无阻断性失败）", "کامیاب (کوئی رکاوٹی ناکامی نہیں)"),
    "failed": ("Failed", "未通过", "ناکام"),
    "pass_rate": ("Pass rate", "通过率", "کامیابی کی شرح"),
    "violations": ("Violations", "违规", "خلاف ورزیاں"),
    "checks_stored": ("Checks stored", "已存储的检查", "محفوظ جانچیں"),
    "previews": ("Previews (not counted)", "预检（不计入）", "پیشگی جانچیں (شمار نہیں)"),
    "refusals": (
        "Refused transitions (not failures)",
        "被拒绝的状态转换（不算失败）",
        "مسترد تبدیلیاں (ناکامیاں نہیں)",
    ),
    "superseded": (
        "Superseded checks (not counted)",
        "已被取代的检查（不计入）",
        "بدلی گئی جانچیں (شمار نہیں)",
    ),
    "by_trigger": ("By trigger", "按触发环节", "محرک کے لحاظ سے"),
    "withheld": (
        "Evidence withheld (need-to-know)",
        "扣留的证据（须知原则）",
        "روکے گئے ثبوت (ضرورت کی بنیاد پر علم)",
    ),
    "version": ("Protocol version: {version}", "协议版本：{version}", "پروٹوکول کا ورژن: {version}"),
    "trend": ("Trend per month (pass rate)", "每月趋势（通过率）", "ماہانہ رجحان (کامیابی کی شرح)"),
    "per_rule": ("Pass rate per rule", "各规则通过率", "ہر قاعدے کی کامیابی کی شرح"),
    "rule": ("Rule", "规则", "قاعدہ"),
    "severity": ("Severity", "严重程度", "شدت"),
    "applied": ("Applied", "适用", "لاگو"),
    "passed_n": ("Passed", "通过", "کامیاب"),
    "errors": ("Errors", "错误", "غلطیاں"),
    "not_applicable": ("N/A", "不适用", "غیر متعلق"),
    "waived": ("Waived", "已豁免", "چھوٹ"),
    "evidence": ("Violations and evidence", "违规及证据", "خلاف ورزیاں اور ثبوت"),
    "no_violation": ("No violation in this period.", "本期间无违规。", "اس مدت میں کوئی خلاف ورزی نہیں۔"),
    "movement": ("movement {id}", "行程 {id}", "نقل و حرکت {id}"),
    "waived_jointly": ("waived jointly", "经双方共同豁免", "مشترکہ طور پر چھوٹ دی گئی"),
    "overridden": ("overridden by the host", "东道方强制放行", "میزبان نے اپنے اختیار سے اجازت دی"),
    "evaluation": (
        "evaluation {id}, facts sha256 {hash}",
        "评估 {id}，事实 sha256 {hash}",
        "جانچ {id}، حقائق sha256 {hash}",
    ),
    "no_evidence": (
        "evidence withheld: not on the movement's need-to-know list",
        "证据已扣留：不在该行程的须知名单上",
        "ثبوت روکا گیا: نقل و حرکت کی ضرورت کی بنیاد پر علم کی فہرست میں نہیں",
    ),
    "facts_read": ("facts read:", "读取的事实：", "پڑھے گئے حقائق:"),
    "left_out": ("Facts left out of the evidence", "证据中略去的事实", "ثبوت سے نکالے گئے حقائق"),
    "left_out_why": (
        "{names}: the route risk counts intelligence not every organisation may read; the rules' outcomes "
        "stand, judged on it, and each facts hash is that of the facts shown",
        "{names}：路线风险计入并非每个组织都可阅读的情报；规则的结果不变（依据该风险判定），每个事实哈希为"
        "所显示事实的哈希",
        "{names}: راستے کے خطرے میں وہ معلومات شامل ہیں جو ہر تنظیم نہیں پڑھ سکتی؛ قواعد کے نتائج اسی پر "
        "مبنی ہیں اور برقرار ہیں، اور ہر حقائق ہیش دکھائے گئے حقائق کا ہے",
    ),
    "refused_head": (
        "Refused transitions (not counted as failures)",
        "被拒绝的状态转换（不计为失败）",
        "مسترد تبدیلیاں (ناکامیوں میں شمار نہیں)",
    ),
    "no_refusal": ("No refusal in this period.", "本期间无拒绝。", "اس مدت میں کوئی انکار نہیں۔"),
    "refused": ("{trigger} refused:", "{trigger} 被拒绝：", "{trigger} مسترد:"),
    "hashes": (
        "Each facts hash is the SHA-256 of the canonical JSON of the stored facts snapshot (sorted keys, "
        "no spaces, UTF-8); each protocol hash is the SHA-256 of the canonical form of the document both "
        "parties signed. The JSON and CSV forms of this report carry the full snapshots.",
        "每个事实哈希是所存事实快照的规范 JSON（键排序、无空格、UTF-8）的 SHA-256；每个协议哈希是双方签署的"
        "文件规范形式的 SHA-256。本报告的 JSON 和 CSV 格式载有完整快照。",
        "ہر حقائق ہیش محفوظ حقائق کی تصویر کے معیاری JSON (ترتیب وار کلیدیں، بغیر وقفوں کے، UTF-8) "
        "کا SHA-256 ہے؛ ہر پروٹوکول ہیش اس دستاویز کی معیاری شکل کا SHA-256 ہے "
        "جس پر دونوں فریقوں نے دستخط کیے۔ اس رپورٹ کی JSON اور CSV شکلوں میں مکمل تصویریں ہیں۔",
    ),
}


# The HTML page's own words beside the PDF's (its tables have column headings the PDF prints otherwise).
HTML_WORDS: dict[str, tuple[str, str, str]] = {
    "versions": (
        "Protocol versions (id, version, SHA-256 of the signed document):",
        "协议版本（编号、版本、所签署文件的 SHA-256）：",
        "پروٹوکول کے ورژن (شناخت، ورژن، دستخط شدہ دستاویز کا SHA-256):",
    ),
    "summary": ("Summary", "摘要", "خلاصہ"),
    "chart": ("Pass rate per month", "每月通过率", "ماہانہ کامیابی کی شرح"),
    "month": ("Month", "月份", "مہینہ"),
    "when": ("When", "时间", "وقت"),
    "movement_col": ("Movement", "行程", "نقل و حرکت"),
    "outcome": ("Outcome", "结果", "نتیجہ"),
    "protocol_version": ("Protocol version", "协议版本", "پروٹوکول کا ورژن"),
    "evidence_col": ("Evidence", "证据", "ثبوت"),
    "evaluation_id": ("evaluation {id}", "评估 {id}", "جانچ {id}"),
    "record_id": ("id {id}", "编号 {id}", "شناخت {id}"),
    "facts_hash": ("facts hash", "事实哈希", "حقائق ہیش"),
    "facts_snapshot": ("facts snapshot", "事实快照", "حقائق کی تصویر"),
    "gate": (
        "An approval, route clearance or departure the agreed protocol refused: the gate working, counted "
        "here and not as a failed check.",
        "商定的协议所拒绝的批准、路线放行或出发：这是关卡在起作用，在此计数，不计为未通过的检查。",
        "کوئی منظوری، راستے کی اجازت یا روانگی جسے طے شدہ پروٹوکول نے مسترد کیا: یہ رکاوٹ کا کام ہے، "
        "یہاں شمار ہوتی ہے، ناکام جانچ کے طور پر نہیں۔",
    ),
    "refused_col": ("Refused", "被拒绝", "مسترد"),
    "rules": ("Rules", "规则", "قواعد"),
}

"""The release ledger as a printable PDF (A4, fpdf2): the summary of the period, then every release with the
objects that left. Headings in the reader's language (English, Chinese or Urdu); partners', users' and
organisations' names in whatever script they were written in (`outrider.pdf_report`). Imported only when a
PDF is asked for (fpdf and its fonts load on demand)."""

from __future__ import annotations

from outrider.pdf_report import A4Report, words
from outrider.sharing.ledger import Ledger, Row

# key -> (English, Chinese (simplified), Urdu); {name}s are the values put in
WORDS: dict[str, tuple[str, str, str]] = {
    "title": ("Release ledger", "发布台账", "اجرا کا رجسٹر"),
    "partner": ("Partner", "合作方", "شراکت دار"),
    "every_partner": ("every partner", "所有合作方", "تمام شراکت دار"),
    "period": ("Period", "期间", "مدت"),
    "from_to": ("from {start} to {end}", "自 {start} 至 {end}", "{start} سے {end} تک"),
    "first_release": ("the first release", "首次发布", "پہلا اجرا"),
    "releases": ("Releases", "发布次数", "اجرا"),
    "released": ("Objects released", "已发布对象", "جاری کردہ اشیا"),
    "withheld": ("Objects withheld", "扣留的对象", "روکی گئی اشیا"),
    "partners": ("Partners", "合作方", "شراکت دار"),
    "channels": ("Channels", "渠道", "ذرائع"),
    "generated": ("Generated", "生成于", "تیاری کا وقت"),
    "releases_head": (
        "Releases and the objects that left",
        "发布及发出的对象",
        "اجرا اور باہر جانے والی اشیا",
    ),
    "none": ("No release in this period.", "本期间无发布。", "اس مدت میں کوئی اجرا نہیں۔"),
    "release": (
        "to {partner} by {channel}, policy {policy} version {version}, by {user}",
        "经 {channel} 发给 {partner}，政策 {policy} 第 {version} 版，操作人 {user}",
        "{partner} کو {channel} کے ذریعے، پالیسی {policy} ورژن {version}، از {user}",
    ),
    "operator": ("the operator", "操作员", "آپریٹر"),
    "record": (
        "audit record {seq}, hash {hash}",
        "审计记录 {seq}，哈希 {hash}",
        "آڈٹ ریکارڈ {seq}، ہیش {hash}",
    ),
    "bundle": (
        "bundle {bundle}; {released} released, {withheld} withheld",
        "数据包 {bundle}；发布 {released} 个，扣留 {withheld} 个",
        "بنڈل {bundle}؛ {released} جاری، {withheld} روکی گئیں",
    ),
    "note": (
        "Each release is a record of the hash-chained audit log (its sequence number and hash above); "
        "`outrider audit verify` checks the chain. Each object's SHA-256 is that of its STIX 2.1 object in "
        "canonical JSON (sorted keys, no spaces, UTF-8), as it left.",
        "每次发布都是哈希链审计日志中的一条记录（序号和哈希见上）；`outrider audit verify` 校验该链。"
        "每个对象的 SHA-256 是其发出时 STIX 2.1 对象的规范 JSON（键排序、无空格、UTF-8）的 SHA-256。",
        "ہر اجرا ہیش سے جڑے آڈٹ لاگ کا ایک ریکارڈ ہے (اس کا ترتیبی نمبر اور ہیش اوپر)؛ "
        "`outrider audit verify` اس زنجیر کی جانچ کرتا ہے۔ ہر شے کا SHA-256 اس کی STIX 2.1 شے کے "
        "معیاری JSON (ترتیب وار کلیدیں، بغیر وقفوں کے، UTF-8) کا ہے، جیسی وہ باہر گئی۔",
    ),
}


def _period(pdf: A4Report, ledger: Ledger, w: dict[str, str]) -> str:
    start = ledger.since.isoformat() if ledger.since else w["first_release"]
    end = ledger.until.isoformat() if ledger.until else ledger.generated_at.isoformat()
    return pdf.phrase(w["from_to"], start=start, end=end)


def _summary(pdf: A4Report, ledger: Ledger, w: dict[str, str]) -> None:
    partners = sorted({r.partner for r in ledger.rows})
    channels = sorted({r.channel for r in ledger.rows})
    one = ledger.rows[0].partner if ledger.partner_org_id and ledger.rows else w["every_partner"]
    lines = [
        (w["partner"], one),
        (w["period"], _period(pdf, ledger, w)),
        (w["releases"], str(len(ledger.rows))),
        (w["released"], str(ledger.objects)),
        (w["withheld"], str(sum(r.withheld for r in ledger.rows))),
        (w["partners"], ", ".join(partners) or "-"),
        (w["channels"], ", ".join(channels) or "-"),
        (w["generated"], ledger.generated_at.isoformat()),
    ]
    for key, value in lines:
        pdf.row([(key, 45), (value, 135)])


def _release(pdf: A4Report, row: Row, w: dict[str, str]) -> None:
    by = row.user or w["operator"]
    values = {"partner": row.partner, "channel": row.channel, "policy": row.policy_id}
    head = pdf.phrase(w["release"], **values, version=row.policy_version, user=by)
    pdf.paragraph(
        row.at.isoformat(),
        head,
        pdf.phrase("({name})", name=row.organization) if row.organization else "",
        size=9,
        height=4.5,
    )
    pdf.paragraph(pdf.phrase(w["record"], seq=row.seq, hash=row.record_hash), size=6.5, height=3.5)
    counts = {"released": len(row.objects), "withheld": row.withheld}
    pdf.paragraph(pdf.phrase(w["bundle"], bundle=row.bundle, **counts), size=6.5, height=3.5)
    for obj in row.objects:
        pdf.paragraph(obj.kind, str(obj.id), "sha256", obj.sha256, size=6.5, height=3.3)
    pdf.ln(2)


def to_pdf(ledger: Ledger, *, lang: str = "en") -> bytes:
    """The report: its summary, then each release with its audit record and the objects that left;
    headings in ``lang`` (en, zh-Hans, ur)."""
    w = words(WORDS, lang)
    pdf = A4Report(w["title"], text=" ".join(w.values()) + repr(ledger), lang=lang)
    pdf.set_creation_date(ledger.generated_at)  # the same report renders to the same bytes
    pdf.add_page()
    pdf.heading(w["title"], 15)
    _summary(pdf, ledger, w)
    pdf.ln(1)
    pdf.heading(w["releases_head"], 11)
    if not ledger.rows:
        pdf.paragraph(w["none"])
    for row in ledger.rows:
        _release(pdf, row, w)
    pdf.paragraph(w["note"], size=7, height=3.6)
    return pdf.finished()

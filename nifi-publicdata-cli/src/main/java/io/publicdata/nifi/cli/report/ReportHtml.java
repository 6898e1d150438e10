package io.publicdata.nifi.cli.report;

import io.publicdata.nifi.catalog.Dataset;
import io.publicdata.nifi.grant.Grant;
import io.publicdata.nifi.lineage.LineageChain;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report as one self-contained HTML page a person reads: Chinese first with English beside, tables, charts as
 * inline SVG, no script and nothing fetched, laid out to print on A4.
 */
public final class ReportHtml {

    private static final String[] GRADE_COLOURS = {"#2e7d32", "#00838f", "#f9a825", "#ef6c00", "#c62828", "#6a1b9a", "#37474f"};
    private static final String DENIED_COLOUR = "#8d2f2f";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

    private final DisclosureReport report;
    private final List<String> grades;
    private final StringBuilder html = new StringBuilder(64 * 1024);

    private ReportHtml(final DisclosureReport report) {
        this.report = report;
        this.grades = ReportCsv.grades(report);
    }

    public static String write(final DisclosureReport report) {
        return new ReportHtml(report).page();
    }

    private String page() {
        html.append("""
                <!DOCTYPE html>
                <html lang="zh-CN">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>公共数据授权运营情况披露 · Disclosure of authorized public data operation</title>
                <style>
                @page { size: A4; margin: 14mm 12mm; }
                body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; color: #1b1b1b;
                       margin: 0 auto; max-width: 186mm; font-size: 10pt; line-height: 1.45; }
                h1 { font-size: 17pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1.5px solid #1b1b1b; padding-bottom: 1mm; }
                .en { color: #555; font-weight: normal; font-size: 0.86em; }
                h1 .en, h2 .en { display: block; font-size: 0.62em; }
                table { border-collapse: collapse; width: 100%; margin: 2mm 0; font-size: 8.2pt; }
                th, td { border: 0.6px solid #9e9e9e; padding: 1mm 1.4mm; vertical-align: top; text-align: left; word-break: break-word; }
                th { background: #eceff1; } th .en { display: block; }
                td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
                td.nw, td.nw code { white-space: nowrap; word-break: normal; }
                thead { display: table-header-group; } tr, figure, .cards { break-inside: avoid; }
                .cards { display: flex; gap: 2mm; margin: 3mm 0; } .card { flex: 1; border: 0.6px solid #9e9e9e; padding: 2mm; }
                .card b { display: block; font-size: 15pt; } .ok { color: #1b5e20; } .warn { border: 1px solid #c62828; padding: 2mm; color: #8d2f2f; }
                figure { margin: 2mm 0; } figcaption { font-size: 8.5pt; color: #444; } code { font-size: 0.92em; }
                .legend span { display: inline-block; margin-right: 3mm; font-size: 8pt; } .legend i { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; }
                @media print { h2 { break-after: avoid; } }
                </style>
                </head>
                <body>
                """);
        header();
        grantRegister();
        usage();
        months();
        denials();
        chain();
        openCatalog();
        html.append("<p class=\"en\">Made by <code>publicdata report</code> from signed grant documents, the resource catalog and a lineage chain that ")
                .append("verified. It holds counts, codes, field paths and protection methods, never a value of the data.</p>\n</body>\n</html>\n");
        return html.toString();
    }

    private void header() {
        html.append("<h1>公共数据授权运营情况披露<span class=\"en\">Disclosure of authorized public data operation</span></h1>\n<p>");
        if (report.catalogTitle() != null) {
            html.append(esc(report.catalogTitle())).append(" · ");
        }
        html.append("截至 <span class=\"en\">as of</span> ").append(esc(report.generatedAt().format(MINUTE))).append("</p>\n");
        final Tally total = report.total();
        html.append("<div class=\"cards\">");
        card("授权", "grants", String.valueOf(report.grants().size()));
        card("提供记录", "records released", String.valueOf(total.releasedRecords()));
        card("拒绝记录", "records denied", String.valueOf(total.deniedRecords()));
        card("溯源链校验", "lineage chain", "<span class=\"ok\">✓ 通过</span> <span class=\"en\">VERIFIED " + report.chain().events() + " events</span>");
        html.append("</div>\n");
        final List<String> strangers = report.unregisteredGrants();
        if (!strangers.isEmpty()) {
            html.append("<p class=\"warn\">溯源链中有未列入授权登记的授权：").append(esc(String.join("、", strangers.stream().map(id -> id.isEmpty() ? "（无）" : id).toList())))
                    .append(" <span class=\"en\">The chain records uses under grants that are not in this register: no disclosed grant explains them.</span></p>\n");
        }
    }

    private void card(final String chinese, final String english, final String value) {
        html.append("<div class=\"card\">").append(chinese).append(" <span class=\"en\">").append(english).append("</span><b>").append(value).append("</b></div>");
    }

    private void grantRegister() {
        section("授权登记", "Grant register: grantee, content, scope, term, mode, status, pricing");
        tableHead(new String[][] {{"授权编号", "Grant"}, {"授权对象", "Grantee"}, {"授权内容", "Content"}, {"授权范围", "Scope"},
                {"时限", "Term"}, {"授权模式", "Mode"}, {"状态", "Status"}, {"收费方式", "Pricing"}});
        for (final DisclosureReport.GrantEntry entry : report.grants()) {
            final Grant grant = entry.grant();
            final StringBuilder content = new StringBuilder();
            for (final String code : grant.datasets()) {
                final Dataset dataset = report.catalog().get(code);
                content.append(content.isEmpty() ? "" : "<br>").append("<code>").append(esc(code)).append("</code>")
                        .append(dataset == null ? "" : " " + esc(dataset.name()));
            }
            content.append("<br>字段 <span class=\"en\">fields</span> ").append(esc(String.join(", ", grant.permittedFields())))
                    .append("<br>最高级别 <span class=\"en\">up to</span> ").append(esc(grant.maximumGrade()));
            final StringBuilder scope = new StringBuilder();
            if (!grant.domains().isEmpty()) {
                scope.append("领域 <span class=\"en\">domains</span> ").append(esc(String.join("、", grant.domains()))).append("<br>");
            }
            if (!grant.scenarios().isEmpty()) {
                scope.append("场景 <span class=\"en\">scenarios</span> ").append(esc(String.join("、", grant.scenarios()))).append("<br>");
            }
            scope.append("用途 <span class=\"en\">purposes</span> ").append(esc(String.join("、", grant.purposes())));
            html.append("<tr><td class=\"nw\"><code>").append(esc(grant.id())).append("</code>")
                    .append(grant.serial() == null ? "" : "<br><span class=\"en\">serial " + esc(grant.serial()) + "</span>")
                    .append(grant.issuer() == null ? "" : "<br><span class=\"en\">" + esc(grant.issuer()) + "</span>")
                    .append("</td><td class=\"nw\">").append(esc(grant.grantee())).append("</td><td>").append(content).append("</td><td>").append(scope)
                    .append("</td><td class=\"nw\">").append(esc(grant.validFrom().format(DAY))).append(" –<br>").append(esc(grant.validUntil().format(DAY)))
                    .append("</td><td>").append(esc(grant.mode().term())).append(" <span class=\"en\">").append(grant.mode().name()).append("</span>")
                    .append("</td><td>").append(entry.standing().term()).append(" <span class=\"en\">").append(entry.standing().english()).append("</span>")
                    .append(entry.revocation() == null ? "" : "<br>" + esc(entry.revocation().revokedAt().format(DAY))
                            + (entry.revocation().reason() == null ? "" : " " + esc(entry.revocation().reason())))
                    .append("</td><td>").append(esc(Terms.pricing(grant.pricing()))).append(grant.pricing() == null ? "" : " <span class=\"en\">"
                            + grant.pricing().name() + "</span>").append("</td></tr>\n");
        }
        html.append("</tbody></table>\n<p class=\"en\">Each grant as its issuer signed it; the signature was verified (key ")
                .append(esc(String.join(", ", report.grants().stream().map(DisclosureReport.GrantEntry::issuerKey).distinct().toList())))
                .append(").</p>\n");
    }

    private void usage() {
        section("使用情况", "Use per grant and dataset");
        final List<String[]> head = new ArrayList<>(List.of(new String[] {"授权编号", "Grant"}, new String[] {"数据资源", "Dataset"},
                new String[] {"提供记录", "Records released"}));
        grades.forEach(grade -> head.add(new String[] {grade, "records"}));
        head.addAll(List.of(new String[] {"保护方法", "Protection applied"}, new String[] {"拒绝记录", "Records denied"},
                new String[] {"拒绝原因", "Denials by code"}));
        tableHead(head.toArray(new String[0][]));
        report.usage().forEach((key, tally) -> {
            html.append("<tr><td><code>").append(esc(key.grantId().isEmpty() ? "—" : key.grantId())).append("</code></td><td>").append(dataset(key.dataset()))
                    .append("</td><td class=\"n\">").append(tally.releasedRecords()).append("</td>");
            grades.forEach(grade -> html.append("<td class=\"n\">").append(tally.releasedByGrade().getOrDefault(grade, 0L)).append("</td>"));
            html.append("<td>");
            tally.methods().forEach((method, fields) -> html.append(esc(Terms.method(method))).append(" <span class=\"en\">").append(method)
                    .append("</span> ").append(esc(String.join(", ", fields))).append("<br>"));
            html.append("</td><td class=\"n\">").append(tally.deniedRecords()).append("</td><td>").append(codes(tally)).append("</td></tr>\n");
        });
        html.append("</tbody></table>\n");
        final Map<String, Map<String, Long>> bars = new LinkedHashMap<>();
        report.usage().forEach((key, tally) -> bars.put((key.grantId().isEmpty() ? "—" : key.grantId()) + " · " + key.dataset(), stack(tally)));
        chart("按授权与数据资源的提供与拒绝记录数", "Records released (by grade) and denied, per grant and dataset", bars);
    }

    private void months() {
        section("按月统计", "Per month");
        final Map<String, Map<String, Long>> bars = new LinkedHashMap<>();
        report.byMonth().forEach((month, tally) -> bars.put(month, stack(tally)));
        chart("每月提供与拒绝记录数", "Records released (by grade) and denied, per month", bars);
        tableHead(new String[][] {{"月份", "Month"}, {"授权编号", "Grant"}, {"数据资源", "Dataset"}, {"提供批次", "Files released"},
                {"提供记录", "Records released"}, {"拒绝批次", "Files denied"}, {"拒绝记录", "Records denied"}, {"拒绝原因", "Denials by code"}});
        report.monthly().forEach((key, tally) -> html.append("<tr><td>").append(key.month()).append("</td><td><code>")
                .append(esc(key.grantId().isEmpty() ? "—" : key.grantId())).append("</code></td><td>").append(dataset(key.dataset()))
                .append("</td><td class=\"n\">").append(tally.releasedFlowFiles()).append("</td><td class=\"n\">").append(tally.releasedRecords())
                .append("</td><td class=\"n\">").append(tally.deniedFlowFiles()).append("</td><td class=\"n\">").append(tally.deniedRecords())
                .append("</td><td>").append(codes(tally)).append("</td></tr>\n"));
        html.append("</tbody></table>\n");
    }

    private void denials() {
        section("拒绝情况", "Denials by code");
        final Tally total = report.total();
        if (total.deniedFlowFiles() == 0) {
            html.append("<p>无拒绝 <span class=\"en\">No use was denied.</span></p>\n");
            return;
        }
        tableHead(new String[][] {{"拒绝代码", "Code"}, {"含义", "Meaning"}, {"拒绝记录", "Records"}, {"拒绝批次", "Files"}});
        total.deniedFlowFilesByCode().forEach((code, files) -> html.append("<tr><td><code>").append(esc(code)).append("</code></td><td>")
                .append(esc(Terms.denyCode(code))).append("</td><td class=\"n\">").append(total.deniedByCode().get(code)).append("</td><td class=\"n\">")
                .append(files).append("</td></tr>\n"));
        html.append("</tbody></table>\n");
        final Map<String, Map<String, Long>> bars = new LinkedHashMap<>();
        total.deniedByCode().forEach((code, records) -> bars.put(code, Map.of("denied", records)));
        chart("按拒绝代码的拒绝记录数", "Records denied, per deny code", bars);
    }

    private void chain() {
        section("溯源链校验", "Lineage chain verification");
        final DisclosureReport.Chain chain = report.chain();
        html.append("<p class=\"ok\">✓ 通过：").append(chain.events()).append(" 个事件，").append(chain.heads().size())
                .append(" 条链，每个事件的哈希与链接均已核对。<span class=\"en\">VERIFIED ").append(chain.events()).append(" events on ")
                .append(chain.heads().size()).append(chain.heads().size() == 1 ? " chain" : " chains").append(": every event hashes to its stated hash and links to the one before it")
                .append(chain.expectedHeads().isEmpty() ? "; no head was given to check the last events against." : "; the last events match the heads given.")
                .append("</span></p>\n<p>提供 <span class=\"en\">releases</span> ").append(report.total().releasedFlowFiles()).append(" · 拒绝 <span class=\"en\">denials</span> ")
                .append(report.total().deniedFlowFiles()).append(" · 其他 <span class=\"en\">other</span> ").append(chain.otherEvents()).append("</p>\n");
        tableHead(new String[][] {{"链", "Chain"}, {"末序号", "Last sequence"}, {"链头哈希", "Head hash"}, {"与给定链头一致", "Matches given head"}});
        for (final LineageChain.Head head : chain.heads()) {
            html.append("<tr><td><code>").append(esc(head.chainId())).append("</code></td><td class=\"n\">").append(head.sequence())
                    .append("</td><td><code>").append(head.hash()).append("</code></td><td>")
                    .append(chain.expectedHeads().containsKey(head.chainId()) ? "是 <span class=\"en\">yes</span>" : "未给定 <span class=\"en\">not given</span>")
                    .append("</td></tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    private void openCatalog() {
        section("开放目录", "Open catalog: registered datasets that may be opened");
        catalogTable(report.openCatalog());
        if (!report.notOpen().isEmpty()) {
            html.append("<h3>未列入开放目录 <span class=\"en\">Not in the open catalog (不予开放, 未登记 or 已注销)</span></h3>\n");
            catalogTable(report.notOpen());
        }
    }

    private void catalogTable(final List<Dataset> datasets) {
        tableHead(new String[][] {{"资源目录编码", "Code"}, {"资源名称", "Name"}, {"数源部门", "Department"}, {"领域", "Domain"},
                {"开放类型", "Open type"}, {"登记", "Registration"}, {"更新周期", "Update cycle"}, {"数据项", "Items"}});
        for (final Dataset dataset : datasets) {
            html.append("<tr><td><code>").append(esc(dataset.code())).append("</code></td><td>").append(esc(dataset.name())).append("</td><td>")
                    .append(esc(dataset.department())).append("</td><td>").append(esc(dataset.domain())).append("</td><td>").append(dataset.openType().term())
                    .append(" <span class=\"en\">").append(dataset.openType().name()).append("</span></td><td>").append(dataset.registration().status().term())
                    .append(dataset.registration().number() == null ? "" : "<br><code>" + esc(dataset.registration().number()) + "</code>")
                    .append(dataset.registration().date() == null ? "" : "<br>" + dataset.registration().date())
                    .append("</td><td>").append(dataset.updateCycle().term()).append(" <span class=\"en\">").append(dataset.updateCycle().name())
                    .append("</span></td><td class=\"n\">").append(dataset.items().size()).append("</td></tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    private String dataset(final String code) {
        final Dataset dataset = report.catalog().get(code);
        return "<code>" + esc(code) + "</code>" + (dataset == null ? " <span class=\"en\">(not in the catalog)</span>" : "<br>" + esc(dataset.name()));
    }

    private static String codes(final Tally tally) {
        final StringBuilder text = new StringBuilder();
        tally.deniedFlowFilesByCode().forEach((code, files) -> text.append(text.isEmpty() ? "" : "<br>").append(esc(Terms.denyCode(code)))
                .append(" <code>").append(esc(code)).append("</code> ").append(tally.deniedByCode().get(code)));
        return text.toString();
    }

    /** Released records by grade, then denied records: the segments of one bar. */
    private Map<String, Long> stack(final Tally tally) {
        final Map<String, Long> segments = new LinkedHashMap<>();
        grades.forEach(grade -> segments.put(grade, tally.releasedByGrade().getOrDefault(grade, 0L)));
        segments.put("denied", tally.deniedRecords());
        return segments;
    }

    /** A horizontal stacked bar chart as inline SVG, with a legend. */
    private void chart(final String chinese, final String english, final Map<String, Map<String, Long>> bars) {
        if (bars.isEmpty()) {
            return;
        }
        final long max = Math.max(1, bars.values().stream().mapToLong(b -> b.values().stream().mapToLong(Long::longValue).sum()).max().orElse(1));
        final int labelWidth = 230;
        final int plot = 400;
        final int row = 18;
        final int height = bars.size() * row + 24;
        html.append("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 ").append(labelWidth + plot + 50).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"").append(esc(english)).append("\" font-size=\"10\">\n");
        int y = 4;
        final Map<String, String> colours = new TreeMap<>();
        for (final Map.Entry<String, Map<String, Long>> bar : bars.entrySet()) {
            html.append("<text x=\"").append(labelWidth - 6).append("\" y=\"").append(y + 12).append("\" text-anchor=\"end\">").append(esc(bar.getKey())).append("</text>");
            double x = labelWidth;
            long sum = 0;
            for (final Map.Entry<String, Long> segment : bar.getValue().entrySet()) {
                if (segment.getValue() <= 0) {
                    continue;
                }
                final double width = plot * (double) segment.getValue() / max;
                final String colour = colour(segment.getKey());
                colours.put(segment.getKey(), colour);
                html.append("<rect x=\"").append(String.format("%.1f", x)).append("\" y=\"").append(y).append("\" width=\"").append(String.format("%.1f", width))
                        .append("\" height=\"").append(row - 4).append("\" fill=\"").append(colour).append("\"><title>").append(esc(segment.getKey())).append(": ")
                        .append(segment.getValue()).append("</title></rect>");
                x += width;
                sum += segment.getValue();
            }
            html.append("<text x=\"").append(String.format("%.1f", x + 4)).append("\" y=\"").append(y + 12).append("\">").append(sum).append("</text>\n");
            y += row;
        }
        html.append("<line x1=\"").append(labelWidth).append("\" y1=\"0\" x2=\"").append(labelWidth).append("\" y2=\"").append(y).append("\" stroke=\"#333\"/>");
        html.append("</svg><figcaption>").append(esc(chinese)).append(" <span class=\"en\">").append(esc(english)).append("</span><span class=\"legend\"> ");
        colours.forEach((name, colour) -> html.append("<span><i style=\"background:").append(colour).append("\"></i>")
                .append(name.equals("denied") ? "拒绝 denied" : esc(name)).append("</span>"));
        html.append("</span></figcaption></figure>\n");
    }

    private String colour(final String segment) {
        if (segment.equals("denied")) {
            return DENIED_COLOUR;
        }
        final int index = grades.indexOf(segment);
        return GRADE_COLOURS[Math.max(0, index) % GRADE_COLOURS.length];
    }

    private void section(final String chinese, final String english) {
        html.append("<h2>").append(chinese).append("<span class=\"en\">").append(esc(english)).append("</span></h2>\n");
    }

    private void tableHead(final String[][] columns) {
        html.append("<table><thead><tr>");
        for (final String[] column : columns) {
            html.append("<th>").append(esc(column[0])).append("<span class=\"en\">").append(esc(column[1])).append("</span></th>");
        }
        html.append("</tr></thead><tbody>\n");
    }

    static String esc(final String text) {
        if (text == null) {
            return "";
        }
        final StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}

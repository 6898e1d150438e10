package io.publicdata.nifi.cli.report;

import io.publicdata.nifi.catalog.Dataset;
import io.publicdata.nifi.grant.Grant;
import io.publicdata.nifi.lineage.LineageChain;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The report's tables as CSV files (RFC 4180, UTF-8 with a byte order mark so that spreadsheet programs read the
 * Chinese right), by file name. Headers give the Chinese term and a machine name.
 */
public final class ReportCsv {

    private static final String BOM = "\uFEFF";

    private ReportCsv() {
    }

    public static Map<String, String> write(final DisclosureReport report) {
        final Map<String, String> files = new LinkedHashMap<>();
        files.put("grants.csv", grants(report));
        final List<String> grades = grades(report);
        files.put("usage.csv", table(usageHeader("", grades), rows -> report.usage().forEach((key, tally) ->
                rows.accept(usageRow(List.of(key.grantId(), key.dataset()), report, key.dataset(), tally, grades)))));
        files.put("usage-by-month.csv", table(usageHeader("月份 month", grades), rows -> report.monthly().forEach((key, tally) ->
                rows.accept(usageRow(List.of(key.month(), key.grantId(), key.dataset()), report, key.dataset(), tally, grades)))));
        files.put("denials.csv", table(List.of("月份 month", "授权编号 grant_id", "数据资源 dataset", "拒绝代码 deny_code", "含义 meaning",
                "拒绝记录数 records", "拒绝批次 flowfiles"), rows -> report.monthly().forEach((key, tally) ->
                tally.deniedFlowFilesByCode().forEach((code, flowFiles) -> rows.accept(List.of(key.month(), key.grantId(), key.dataset(), code,
                        Terms.denyCode(code), String.valueOf(tally.deniedByCode().get(code)), String.valueOf(flowFiles)))))));
        files.put("catalog.csv", table(List.of("资源目录编码 code", "资源名称 name", "数源部门 department", "领域 domain", "开放类型 open_type",
                "登记状态 registration_status", "登记编号 registration_number", "登记日期 registration_date", "更新周期 update_cycle",
                "数据项数 data_items", "列入开放目录 in_open_catalog"), rows -> {
            for (final Dataset dataset : report.catalog().values()) {
                rows.accept(List.of(dataset.code(), dataset.name(), dataset.department(), dataset.domain(), dataset.openType().name(),
                        dataset.registration().status().name(), text(dataset.registration().number()),
                        dataset.registration().date() == null ? "" : dataset.registration().date().toString(), dataset.updateCycle().name(),
                        String.valueOf(dataset.items().size()), String.valueOf(report.openCatalog().contains(dataset))));
            }
        }));
        files.put("chain.csv", table(List.of("链 chain_id", "序号 sequence", "哈希 hash", "与给定链头一致 matches_given_head"), rows -> {
            for (final LineageChain.Head head : report.chain().heads()) {
                rows.accept(List.of(head.chainId(), String.valueOf(head.sequence()), head.hash(),
                        String.valueOf(report.chain().expectedHeads().containsKey(head.chainId()))));
            }
        }));
        return files;
    }

    private static String grants(final DisclosureReport report) {
        return table(List.of("授权编号 grant_id", "序列号 serial", "发证机关 issuer", "授权对象 grantee", "授权模式 mode", "领域 domains",
                "场景 scenarios", "用途 purposes", "授权内容 datasets", "可用字段 permitted_fields", "最高级别 maximum_grade",
                "起始 valid_from", "截止 valid_until", "文书状态 status", "当前状态 standing", "收费方式 pricing", "文书 document",
                "签发密钥 issuer_key", "撤销时间 revoked_at", "撤销原因 revocation_reason"), rows -> {
            for (final DisclosureReport.GrantEntry entry : report.grants()) {
                final Grant grant = entry.grant();
                rows.accept(List.of(grant.id(), text(grant.serial()), text(grant.issuer()), grant.grantee(), grant.mode().name(),
                        String.join(";", grant.domains()), String.join(";", grant.scenarios()), String.join(";", grant.purposes()),
                        String.join(";", grant.datasets()), String.join(";", grant.permittedFields()), grant.maximumGrade(),
                        grant.validFrom().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), grant.validUntil().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                        grant.status().name(), entry.standing().name(), grant.pricing() == null ? "" : grant.pricing().name(),
                        entry.document(), entry.issuerKey(),
                        entry.revocation() == null ? "" : entry.revocation().revokedAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                        entry.revocation() == null ? "" : text(entry.revocation().reason())));
            }
        });
    }

    /** The grades that appear anywhere in the report, in ladder order as their codes sort (L1 … L5). */
    static List<String> grades(final DisclosureReport report) {
        final TreeSet<String> grades = new TreeSet<>(report.total().releasedByGrade().keySet());
        return new ArrayList<>(grades);
    }

    private static List<String> usageHeader(final String first, final List<String> grades) {
        final List<String> header = new ArrayList<>();
        if (!first.isEmpty()) {
            header.add(first);
        }
        header.addAll(List.of("授权编号 grant_id", "数据资源 dataset", "资源名称 dataset_name", "提供批次 released_flowfiles", "提供记录数 released_records"));
        grades.forEach(grade -> header.add(grade + " 记录数 released_" + grade));
        header.addAll(List.of("保护方法 methods", "拒绝批次 denied_flowfiles", "拒绝记录数 denied_records", "拒绝原因 denials"));
        return header;
    }

    private static List<String> usageRow(final List<String> key, final DisclosureReport report, final String dataset, final Tally tally,
                                         final List<String> grades) {
        final List<String> row = new ArrayList<>(key);
        final Dataset entry = report.catalog().get(dataset);
        row.add(entry == null ? "" : entry.name());
        row.add(String.valueOf(tally.releasedFlowFiles()));
        row.add(String.valueOf(tally.releasedRecords()));
        grades.forEach(grade -> row.add(String.valueOf(tally.releasedByGrade().getOrDefault(grade, 0L))));
        row.add(ReportJson.methodsText(tally.methods()));
        row.add(String.valueOf(tally.deniedFlowFiles()));
        row.add(String.valueOf(tally.deniedRecords()));
        final List<String> denials = new ArrayList<>();
        tally.deniedByCode().forEach((code, records) -> denials.add(code + "=" + records));
        row.add(String.join(";", denials));
        return row;
    }

    private static String table(final List<String> header, final Consumer<Consumer<List<String>>> body) {
        final StringBuilder csv = new StringBuilder(BOM);
        line(csv, header);
        body.accept(row -> line(csv, row));
        return csv.toString();
    }

    private static void line(final StringBuilder csv, final List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            final String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0
                    || (!cell.isEmpty() && "=+-@".indexOf(cell.charAt(0)) >= 0)) {
                // Quoted, and a leading formula character defused, so a spreadsheet shows the text and runs nothing
                csv.append('"').append("=+-@".indexOf(cell.isEmpty() ? ' ' : cell.charAt(0)) >= 0 ? "'" : "")
                        .append(cell.replace("\"", "\"\"")).append('"');
            } else {
                csv.append(cell);
            }
        }
        csv.append("\r\n");
    }

    private static String text(final String value) {
        return value == null ? "" : value;
    }
}

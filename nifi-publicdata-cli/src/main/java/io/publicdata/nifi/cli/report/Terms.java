package io.publicdata.nifi.cli.report;

import io.publicdata.nifi.grant.Pricing;

import java.util.Map;

/** The Chinese terms the report puts first, beside the codes and English words. */
final class Terms {

    /** Deny codes: what each means, in Chinese. */
    static final Map<String, String> DENY_CODES = Map.ofEntries(
            Map.entry("SIGNATURE_INVALID", "授权文书签名无效"),
            Map.entry("GRANT_INVALID", "授权文书内容无效"),
            Map.entry("GRANT_REVOKED", "授权已撤销"),
            Map.entry("GRANT_SUSPENDED", "授权已暂停"),
            Map.entry("GRANT_NOT_YET_VALID", "授权尚未生效"),
            Map.entry("GRANT_EXPIRED", "授权已到期"),
            Map.entry("REVOCATION_LIST_INVALID", "撤销清单无效"),
            Map.entry("REVOCATION_LIST_STALE", "撤销清单已过期"),
            Map.entry("REQUEST_MISSING", "缺少用途申请"),
            Map.entry("REQUEST_SIGNATURE_INVALID", "用途申请签名无效"),
            Map.entry("REQUEST_INVALID", "用途申请无效"),
            Map.entry("REQUEST_NOT_YET_VALID", "用途申请尚未生效"),
            Map.entry("REQUEST_EXPIRED", "用途申请已过期"),
            Map.entry("REQUEST_REPLAYED", "用途申请重复使用"),
            Map.entry("REQUEST_UNRECORDED", "用途申请无法登记"),
            Map.entry("REQUEST_OUT_OF_SCOPE", "用途申请超出授权"),
            Map.entry("CONTEXT_MISSING", "用途信息缺失"),
            Map.entry("GRANTEE_MISMATCH", "非被授权主体"),
            Map.entry("DOMAIN_NOT_GRANTED", "领域未授权"),
            Map.entry("SCENARIO_NOT_GRANTED", "场景未授权"),
            Map.entry("PURPOSE_NOT_GRANTED", "用途未授权"),
            Map.entry("DATASET_NOT_GRANTED", "数据资源未授权"),
            Map.entry("PRICING_MISMATCH", "收费方式与用途不符"),
            Map.entry("DATASET_NOT_REGISTERED", "数据资源未登记"),
            Map.entry("DATASET_NOT_OPEN", "不予开放"),
            Map.entry("FIELD_NOT_PERMITTED", "字段超出授权"),
            Map.entry("GRADE_EXCEEDS_GRANT", "级别超出授权"),
            Map.entry("PROTECTION_REQUIRED", "未按要求脱敏或加密"));

    /** Protection methods (脱敏与加密). */
    static final Map<String, String> METHODS = Map.of(
            "MASK", "掩码", "REDACT", "置空", "DROP", "删除", "PSEUDONYMIZE", "假名化", "ENCRYPT", "加密",
            "FPE", "保留格式加密", "GENERALIZE", "泛化");

    private Terms() {
    }

    static String denyCode(final String code) {
        return DENY_CODES.getOrDefault(code, "");
    }

    static String method(final String method) {
        return METHODS.getOrDefault(method, "");
    }

    static String pricing(final Pricing pricing) {
        return pricing == null ? "未约定" : pricing.term();
    }
}

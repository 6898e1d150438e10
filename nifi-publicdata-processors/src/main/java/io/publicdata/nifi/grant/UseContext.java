package io.publicdata.nifi.grant;

/**
 * Who uses the data and for what: the use a grant is checked against. Blank values count as missing.
 *
 * @param grantee         the user, e.g. the operator's unified social credit code
 * @param domain          the domain (sector, 领域) of the use, e.g. 交通运输
 * @param scenario        the application scenario (场景), e.g. 普惠金融信贷风控
 * @param purpose         the purpose of the use, e.g. 信用评估
 * @param dataset         the catalog id of the resource used (资源目录编号)
 * @param purposeCategory the category of the purpose, e.g. 公共治理, 公益事业, 产业发展, 行业发展; null when not given
 */
public record UseContext(String grantee, String domain, String scenario, String purpose, String dataset, String purposeCategory) {

    public UseContext {
        grantee = normalize(grantee);
        domain = normalize(domain);
        scenario = normalize(scenario);
        purpose = normalize(purpose);
        dataset = normalize(dataset);
        purposeCategory = normalize(purposeCategory);
    }

    /** A use context without a purpose category. */
    public UseContext(final String grantee, final String domain, final String scenario, final String purpose, final String dataset) {
        this(grantee, domain, scenario, purpose, dataset, null);
    }

    private static String normalize(final String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

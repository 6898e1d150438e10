package io.publicdata.nifi.classify;

/**
 * The labels (分类标签) built-in detectors and field-name hints attach to fields. Rules may use any
 * other label too; these are the ones the plugin itself knows, e.g. to pick a masking convention.
 */
public final class Labels {

    /** Chinese resident identity card number, GB 11643 (居民身份证号码). */
    public static final String PERSONAL_ID = "PERSONAL_ID";
    /** Unified social credit code of an organisation, GB 32100 (统一社会信用代码). */
    public static final String CREDIT_CODE = "CREDIT_CODE";
    /** Mainland China mobile number (手机号码). */
    public static final String MOBILE = "MOBILE";
    /** Bank card number passing the Luhn check (银行卡号). */
    public static final String BANK_CARD = "BANK_CARD";
    /** E-mail address (电子邮箱). */
    public static final String EMAIL = "EMAIL";
    /** Passport number (护照号码). */
    public static final String PASSPORT = "PASSPORT";
    /** Vehicle licence plate (机动车号牌). */
    public static final String VEHICLE_PLATE = "VEHICLE_PLATE";
    /** IPv4 or IPv6 address (IP地址). */
    public static final String IP_ADDRESS = "IP_ADDRESS";
    /** A person's name, found by field name (姓名). */
    public static final String PERSON_NAME = "PERSON_NAME";
    /** A postal or home address, found by field name (地址). */
    public static final String ADDRESS = "ADDRESS";
    /** A date of birth, found by field name (出生日期). */
    public static final String BIRTH_DATE = "BIRTH_DATE";

    private Labels() {
    }
}

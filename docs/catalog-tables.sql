-- Resource catalog (资源目录) tables read by DatabasePublicDataCatalog: the same statements for PostgreSQL 12+ and H2 2.x.
-- One row per dataset, one row per data item (数据项). Enumerated columns hold a code or its Chinese term.

CREATE TABLE publicdata_dataset (
    catalog_code        VARCHAR(128) NOT NULL PRIMARY KEY,  -- 资源目录编码, the value of publicdata.dataset
    name                VARCHAR(256) NOT NULL,              -- 资源名称
    department          VARCHAR(256) NOT NULL,              -- 数源部门
    domain              VARCHAR(128) NOT NULL,              -- 领域
    open_type           VARCHAR(32)  NOT NULL               -- 开放类型
        CHECK (open_type IN ('UNCONDITIONAL', 'CONDITIONAL', 'NOT_OPEN', '无条件开放', '有条件开放', '不予开放')),
    registration_number VARCHAR(128),                       -- 登记编号; required unless UNREGISTERED
    registration_status VARCHAR(32)  NOT NULL               -- 登记状态
        CHECK (registration_status IN ('REGISTERED', 'UNREGISTERED', 'CANCELLED', '已登记', '未登记', '已注销')),
    registration_date   DATE,                               -- 登记日期 (注销日期 once CANCELLED)
    update_cycle        VARCHAR(32)  NOT NULL               -- 更新周期: REAL_TIME, DAILY, WEEKLY, MONTHLY, QUARTERLY,
                                                            -- HALF_YEARLY, YEARLY, IRREGULAR (or 实时 … 不定期)
);

CREATE TABLE publicdata_data_item (
    catalog_code VARCHAR(128)  NOT NULL REFERENCES publicdata_dataset (catalog_code),
    field_path   VARCHAR(1024) NOT NULL,  -- field path of the item in the dataset's records, e.g. /legalRepresentativeId
    item_name    VARCHAR(256),            -- 数据项名称, e.g. 法定代表人身份证号
    grade        VARCHAR(32)   NOT NULL,  -- 分级, a grade code of the ladder, e.g. L3
    labels       VARCHAR(1024),           -- 分类标签, comma-separated, e.g. PERSONAL_ID
    PRIMARY KEY (catalog_code, field_path)
);

-- The NiFi database user only reads:
-- GRANT SELECT ON publicdata_dataset, publicdata_data_item TO nifi;

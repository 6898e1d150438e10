package io.publicdata.nifi.services;

import io.publicdata.nifi.catalog.Catalog;
import io.publicdata.nifi.catalog.CatalogTables;
import io.publicdata.nifi.processors.ClassifyRecord;
import io.publicdata.nifi.processors.EnforceGrantScope;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.lifecycle.OnDisabled;
import org.apache.nifi.annotation.lifecycle.OnEnabled;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ConfigVerificationResult.Outcome;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.controller.ConfigurationContext;
import org.apache.nifi.controller.VerifiableControllerService;
import org.apache.nifi.dbcp.DBCPService;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.reporting.InitializationException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

@Tags({"catalog", "registration", "open data", "public data", "database", "JDBC", "资源目录", "登记", "开放目录", "数据项"})
@CapabilityDescription("The resource catalog (资源目录) from two database tables read through a DBCPService (e.g. DBCPConnectionPool): "
        + "one row per dataset (catalog code, name, providing department 数源部门, domain 领域, open type 无条件开放 / 有条件开放 / "
        + "不予开放, registration 登记编号 / 已登记 / 未登记 / 已注销 / date, update cycle) and one row per data item (数据项: field path, "
        + "grade, labels). The whole catalog is read when the service is enabled and again once the Refresh Interval has passed. "
        + "When a refresh fails, lookups fail (the FlowFiles go to failure) until the tables can be read again: an old copy is "
        + "never used in their place. The DDL for PostgreSQL and H2 is in docs/catalog.md.")
@SeeAlso({JsonFilePublicDataCatalog.class, ClassifyRecord.class, EnforceGrantScope.class})
public class DatabasePublicDataCatalog extends AbstractControllerService implements PublicDataCatalog, VerifiableControllerService {

    public static final PropertyDescriptor DBCP_SERVICE = new PropertyDescriptor.Builder()
            .name("Database Connection Pooling Service")
            .description("The connection pool the catalog tables are read through; the database user needs SELECT on both tables only.")
            .required(true)
            .identifiesControllerService(DBCPService.class)
            .build();

    public static final PropertyDescriptor DATASET_TABLE = new PropertyDescriptor.Builder()
            .name("Dataset Table")
            .description("The table with one row per dataset, optionally schema-qualified (schema.table).")
            .required(true)
            .defaultValue(CatalogTables.DEFAULT_DATASET_TABLE)
            .addValidator(DatabasePublicDataCatalog::validateTable)
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    public static final PropertyDescriptor ITEM_TABLE = new PropertyDescriptor.Builder()
            .name("Data Item Table")
            .description("The table with one row per data item (数据项), optionally schema-qualified (schema.table).")
            .required(true)
            .defaultValue(CatalogTables.DEFAULT_ITEM_TABLE)
            .addValidator(DatabasePublicDataCatalog::validateTable)
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    public static final PropertyDescriptor REFRESH_INTERVAL = new PropertyDescriptor.Builder()
            .name("Refresh Interval")
            .description("How long a catalog read from the tables is used before they are read again. A registration cancelled "
                    + "in the database takes effect in NiFi at most this long afterwards.")
            .required(true)
            .defaultValue("1 min")
            .addValidator(StandardValidators.createTimePeriodValidator(1, TimeUnit.SECONDS, 1, TimeUnit.DAYS))
            .expressionLanguageSupported(ExpressionLanguageScope.NONE)
            .build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(DBCP_SERVICE, DATASET_TABLE, ITEM_TABLE, REFRESH_INTERVAL);
    /** After a failed read, lookups fail with that failure for this long before the tables are tried again. */
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The catalog as last read and when; or why it could not be read. */
    private record Loaded(long readAtNanos, CatalogSnapshot snapshot, String failure) {
    }

    private volatile Settings settings;
    private volatile Loaded loaded;

    private record Settings(DBCPService pool, CatalogTables tables, long refreshNanos) {
    }

    private static ValidationResult validateTable(final String subject, final String input, final org.apache.nifi.components.ValidationContext context) {
        final boolean valid = CatalogTables.isTableName(input);
        return new ValidationResult.Builder().subject(subject).input(input).valid(valid)
                .explanation(valid ? null : "a table name is letters, digits and '_', optionally schema-qualified (schema.table)").build();
    }

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @OnEnabled
    public void onEnabled(final ConfigurationContext context) throws InitializationException {
        final Settings configured = settings(context);
        try {
            final CatalogSnapshot snapshot = new CatalogSnapshot(read(configured));
            settings = configured;
            loaded = new Loaded(System.nanoTime(), snapshot, null);
            getLogger().info("Read the catalog tables: {}", snapshot.summary());
        } catch (final IllegalArgumentException | SQLException | ProcessException e) {
            throw new InitializationException(describe(configured, e), e);
        }
    }

    @OnDisabled
    public void onDisabled() {
        settings = null;
        loaded = null;
    }

    @Override
    public Optional<String> dataset(final String catalogCode) {
        return current().snapshot().entry(catalogCode);
    }

    private Loaded current() {
        final Settings configured = settings;
        final Loaded state = loaded;
        if (configured == null || state == null) {
            throw new ProcessException("The catalog service is not enabled");
        }
        final long age = System.nanoTime() - state.readAtNanos();
        final Loaded now = state.failure() == null ? (age < configured.refreshNanos() ? state : refresh(configured, state))
                : (age < RETRY_NANOS ? state : refresh(configured, state));
        if (now.failure() != null) {
            throw new ProcessException(now.failure());
        }
        return now;
    }

    /** Reads the tables again; one thread at a time, the others then use what it read. */
    private synchronized Loaded refresh(final Settings configured, final Loaded seen) {
        final Loaded latest = loaded;
        if (latest != seen || latest == null) {
            return latest == null ? new Loaded(System.nanoTime(), null, "The catalog service is not enabled") : latest;
        }
        Loaded next;
        try {
            next = new Loaded(System.nanoTime(), new CatalogSnapshot(read(configured)), null);
            if (seen.failure() != null) {
                getLogger().info("Read the catalog tables again: {}", next.snapshot().summary());
            }
        } catch (final IllegalArgumentException | SQLException | ProcessException e) {
            next = new Loaded(System.nanoTime(), null, "The catalog tables cannot be used until they can be read again: " + describe(configured, e));
            if (seen.failure() == null) {
                getLogger().error(next.failure(), e);
            }
        }
        loaded = next;
        return next;
    }

    @Override
    public List<ConfigVerificationResult> verify(final ConfigurationContext context, final ComponentLog verificationLogger,
                                                 final Map<String, String> variables) {
        final ConfigVerificationResult.Builder result = new ConfigVerificationResult.Builder().verificationStepName("Read catalog tables");
        Settings configured = null;
        try {
            configured = settings(context);
            result.outcome(Outcome.SUCCESSFUL).explanation(new CatalogSnapshot(read(configured)).summary());
        } catch (final IllegalArgumentException | SQLException | ProcessException e) {
            result.outcome(Outcome.FAILED).explanation(configured == null ? e.getMessage() : describe(configured, e));
        }
        return List.of(result.build());
    }

    private static Settings settings(final PropertyContext context) {
        return new Settings(context.getProperty(DBCP_SERVICE).asControllerService(DBCPService.class),
                new CatalogTables(context.getProperty(DATASET_TABLE).getValue(), context.getProperty(ITEM_TABLE).getValue()),
                context.getProperty(REFRESH_INTERVAL).asTimePeriod(TimeUnit.NANOSECONDS));
    }

    private static Catalog read(final Settings configured) throws SQLException {
        try (Connection connection = configured.pool().getConnection()) {
            return configured.tables().read(connection);
        }
    }

    private static String describe(final Settings configured, final Exception e) {
        if (e instanceof SQLException) {
            return "The catalog tables cannot be read: " + e.getMessage();
        }
        return "The catalog tables do not hold a valid catalog: " + e.getMessage();
    }
}

package io.publicdata.nifi.services;

import io.publicdata.nifi.catalog.Catalog;
import io.publicdata.nifi.catalog.CatalogJson;
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
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.resource.ResourceCardinality;
import org.apache.nifi.components.resource.ResourceType;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.controller.ConfigurationContext;
import org.apache.nifi.controller.VerifiableControllerService;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.reporting.InitializationException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

@Tags({"catalog", "registration", "open data", "public data", "JSON", "资源目录", "登记", "开放目录", "数据项"})
@CapabilityDescription("The resource catalog (资源目录) from a JSON file: per dataset its catalog code, name, providing department "
        + "(数源部门), domain (领域), open type (无条件开放 / 有条件开放 / 不予开放), registration (登记编号, 已登记 / 未登记 / 已注销, date), "
        + "update cycle and data items (数据项) with grades and labels. The file is read again as soon as it changes; a file that "
        + "changes into an invalid catalog makes every lookup fail (the FlowFiles go to failure) until it is fixed, never "
        + "falling back to the old content. The format is in docs/catalog.md.")
@SeeAlso({DatabasePublicDataCatalog.class, ClassifyRecord.class, EnforceGrantScope.class})
public class JsonFilePublicDataCatalog extends AbstractControllerService implements PublicDataCatalog, VerifiableControllerService {

    public static final PropertyDescriptor CATALOG_FILE = new PropertyDescriptor.Builder()
            .name("Catalog File")
            .description("The catalog's JSON file (UTF-8). It is read whole, when the service is enabled and whenever its "
                    + "modification time or size changes.")
            .required(true)
            .identifiesExternalResource(ResourceCardinality.SINGLE, ResourceType.FILE)
            .expressionLanguageSupported(ExpressionLanguageScope.ENVIRONMENT)
            .build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(CATALOG_FILE);

    /** The catalog as last read, and the file state it was read from; or the failure of reading it. */
    private record Loaded(FileStamp stamp, CatalogSnapshot snapshot, String failure) {
    }

    /** What tells that the file changed: modification time, size and file key (a replaced file has a new key). */
    private record FileStamp(Object modified, long size, Object fileKey) {
        static FileStamp of(final Path file) throws IOException {
            final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        }
    }

    private volatile Path file;
    private volatile Loaded loaded;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    protected Collection<ValidationResult> customValidate(final ValidationContext context) {
        final List<ValidationResult> results = new ArrayList<>();
        if (context.getProperty(CATALOG_FILE).isSet()) {
            final Path path = catalogFile(context);
            try {
                read(path);
            } catch (final IllegalArgumentException | IOException e) {
                results.add(new ValidationResult.Builder().subject(CATALOG_FILE.getName()).input(path.toString()).valid(false)
                        .explanation(describe(path, e)).build());
            }
        }
        return results;
    }

    @OnEnabled
    public void onEnabled(final ConfigurationContext context) throws InitializationException {
        final Path path = catalogFile(context);
        try {
            final FileStamp stamp = FileStamp.of(path);
            final CatalogSnapshot snapshot = new CatalogSnapshot(read(path));
            file = path;
            loaded = new Loaded(stamp, snapshot, null);
            getLogger().info("Read the catalog {}: {}", path, snapshot.summary());
        } catch (final IllegalArgumentException | IOException e) {
            throw new InitializationException(describe(path, e), e);
        }
    }

    @OnDisabled
    public void onDisabled() {
        file = null;
        loaded = null;
    }

    @Override
    public Optional<String> dataset(final String catalogCode) {
        return current().snapshot().entry(catalogCode);
    }

    /** The catalog as the file holds it now: read again when the file has changed since it was last read. */
    private Loaded current() {
        final Path path = file;
        Loaded state = loaded;
        if (path == null || state == null) {
            throw new ProcessException("The catalog service is not enabled");
        }
        FileStamp stamp;
        try {
            stamp = FileStamp.of(path);
        } catch (final IOException e) {
            stamp = null;
        }
        if (stamp == null || !stamp.equals(state.stamp())) {
            state = reload(path, stamp);
        }
        if (state.failure() != null) {
            throw new ProcessException(state.failure());
        }
        return state;
    }

    private synchronized Loaded reload(final Path path, final FileStamp stamp) {
        final Loaded previous = loaded;
        if (previous == null || (stamp != null && stamp.equals(previous.stamp()))) {
            return previous == null ? new Loaded(null, null, "The catalog service is not enabled") : previous;
        }
        Loaded next;
        try {
            final FileStamp readStamp = FileStamp.of(path);
            next = new Loaded(readStamp, new CatalogSnapshot(read(path)), null);
            getLogger().info("Read the changed catalog {}: {}", path, next.snapshot().summary());
        } catch (final IllegalArgumentException | IOException e) {
            // Fail closed: never go on with the old catalog once the file says something else
            next = new Loaded(stamp, null, "The catalog changed and cannot be used until it is fixed: " + describe(path, e));
            if (previous.failure() == null || !Objects.equals(previous.stamp(), stamp)) {
                getLogger().error(next.failure());
            }
        }
        loaded = next;
        return next;
    }

    @Override
    public List<ConfigVerificationResult> verify(final ConfigurationContext context, final ComponentLog verificationLogger,
                                                 final Map<String, String> variables) {
        final Path path = catalogFile(context);
        final ConfigVerificationResult.Builder result = new ConfigVerificationResult.Builder().verificationStepName("Read catalog file");
        try {
            result.outcome(Outcome.SUCCESSFUL).explanation(path + ": " + new CatalogSnapshot(read(path)).summary());
        } catch (final IllegalArgumentException | IOException e) {
            result.outcome(Outcome.FAILED).explanation(describe(path, e));
        }
        return List.of(result.build());
    }

    private static Path catalogFile(final PropertyContext context) {
        return context.getProperty(CATALOG_FILE).evaluateAttributeExpressions().asResource().asFile().toPath();
    }

    private static Catalog read(final Path path) throws IOException {
        final String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path))).toString();
        } catch (final CharacterCodingException e) {
            throw new IllegalArgumentException("the file is not UTF-8 text");
        }
        return CatalogJson.parse(json);
    }

    private static String describe(final Path path, final Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "Catalog file " + path + " does not exist";
        }
        if (e instanceof IOException) {
            return "Catalog file " + path + " cannot be read: " + e;
        }
        return "Catalog file " + path + " is not a valid catalog: " + e.getMessage();
    }
}

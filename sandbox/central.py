"""Assembles the lib/ directory of a headless Apache NiFi 2.3.0 from artifacts on Maven Central.

There is no NiFi distribution on Maven Central, but NiFi 2.3.0 is the release whose framework, server and Jetty NARs
are published there. Together with the root class-path jars they make a NiFi that starts from org.apache.nifi.NiFi
without the bootstrap. The standard processors (GetFile, PutFile) and UpdateAttribute are published only as jars, so
their NARs are built here from those jars and their runtime dependencies. Downloads are verified against Maven Central's SHA-1 files and kept in
a cache in Maven repository layout; the assembled lib/ is cached too and reused until this artifact list changes.
"""

import concurrent.futures
import hashlib
import os
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

NIFI_VERSION = "2.3.0"

# NiFi's root class path: logging, the NiFi API that 2.3.0 is built against (2.0.0), and the framework's
# bootstrap-level jars.
ROOT_JARS = [
    "org.slf4j:slf4j-api:2.0.17",
    "org.slf4j:log4j-over-slf4j:2.0.17",
    "org.slf4j:jcl-over-slf4j:2.0.17",
    "org.slf4j:jul-to-slf4j:2.0.17",
    "ch.qos.logback:logback-classic:1.5.17",
    "ch.qos.logback:logback-core:1.5.17",
    "org.apache.nifi:nifi-api:2.0.0",
] + [f"org.apache.nifi:{a}:{NIFI_VERSION}" for a in (
    "nifi-framework-api", "nifi-nar-utils", "nifi-properties", "nifi-property-utils", "nifi-python-framework-api",
    "nifi-runtime", "nifi-server-api", "nifi-stateless-api")]

# The framework NARs, the service APIs our NAR runs on, the record readers and writers and the connection pool the
# policy flow uses.
NARS = [f"org.apache.nifi:{a}:{NIFI_VERSION}" for a in (
    "nifi-jetty-nar", "nifi-framework-nar", "nifi-server-nar", "nifi-provenance-repository-nar",
    "nifi-standard-services-api-nar", "nifi-standard-shared-nar", "nifi-record-serialization-services-nar",
    # DBCPConnectionPool, through which the flow reads the resource catalog's tables
    "nifi-dbcp-service-nar")]

# nifi-standard-processors and its runtime dependencies (resolved against org.apache.nifi:nifi-standard-bundle:2.3.0),
# minus what the parent NARs nifi-standard-shared-nar, nifi-standard-services-api-nar and nifi-jetty-nar provide.
STANDARD_PROCESSORS_JARS = """
com.aayushatharva.brotli4j:brotli4j:1.18.0 com.aayushatharva.brotli4j:native-linux-x86_64:1.18.0
com.aayushatharva.brotli4j:service:1.18.0 com.ethlo.time:itu:1.10.3
com.exceptionfactory.socketbroker:socketbroker:1.1.0 com.fasterxml.jackson.dataformat:jackson-dataformat-yaml:2.18.3
com.fluenda:parcefone:3.0.0 com.github.albfernandez:juniversalchardet:2.5.0 com.github.curious-odd-man:rgxgen:2.0
com.github.jponge:lzma-java:1.3 com.github.palindromicity:simple-syslog-5424:0.0.16
com.github.wnameless.json:json-base:2.5.0 com.github.wnameless.json:json-flattener:0.17.1
com.google.code.findbugs:jsr305:3.0.2 com.google.guava:failureaccess:1.0.2 com.google.guava:guava:33.4.0-jre
com.google.guava:listenablefuture:9999.0-empty-to-avoid-conflict-with-guava com.google.j2objc:j2objc-annotations:3.0.0
com.google.protobuf:protobuf-java:3.25.6 com.google.uzaygezen:uzaygezen-core:0.2
com.googlecode.json-simple:json-simple:1.1.1 com.googlecode.libphonenumber:libphonenumber:8.13.50
com.hierynomus:asn-one:0.6.0 com.hierynomus:sshj:0.39.0 com.jayway.jsonpath:json-path:2.9.0
com.networknt:json-schema-validator:1.5.6 com.squareup.okhttp3:okhttp-urlconnection:4.12.0
com.sun.activation:jakarta.activation:2.0.1 com.sun.istack:istack-commons-runtime:4.1.2 com.sun.mail:jakarta.mail:2.0.1
com.yahoo.datasketches:memory:0.9.0 com.yahoo.datasketches:sketches-core:0.9.0 commons-lang:commons-lang:2.4
io.github.rburgst:okhttp-digest:3.1.1 io.krakens:java-grok:0.1.9 jakarta.activation:jakarta.activation-api:2.1.3
jakarta.mail:jakarta.mail-api:2.1.3 jakarta.validation:jakarta.validation-api:3.1.0-M2 jakarta.ws.rs:jakarta.ws.rs-api:3.1.0
jakarta.xml.bind:jakarta.xml.bind-api:4.0.2 net.datafaker:datafaker:2.4.2 net.hydromatic:aggdesigner-algorithm:6.0
net.i2p.crypto:eddsa:0.3.0 net.lingala.zip4j:zip4j:2.11.5 net.minidev:accessors-smart:2.5.2 net.minidev:json-smart:2.5.2
net.sf.saxon:Saxon-HE:12.5 net.sf.supercsv:super-csv:2.4.0 org.antlr:antlr-runtime:3.5.3 org.antlr:antlr4-runtime:4.7.2
org.apache.avro:avro:1.11.4 org.apache.calcite.avatica:avatica-core:1.25.0 org.apache.calcite.avatica:avatica-metrics:1.25.0
org.apache.calcite:calcite-core:1.38.0 org.apache.calcite:calcite-linq4j:1.38.0 org.apache.commons:commons-csv:1.13.0
org.apache.commons:commons-dbcp2:2.13.0 org.apache.commons:commons-math3:3.6.1 org.apache.commons:commons-pool2:2.12.0
org.apache.ftpserver:ftplet-api:1.2.1 org.apache.ftpserver:ftpserver-core:1.2.1
org.apache.httpcomponents.client5:httpclient5:5.1.3 org.apache.httpcomponents.core5:httpcore5-h2:5.1.3
org.apache.httpcomponents.core5:httpcore5:5.1.3 org.apache.httpcomponents:httpclient:4.5.14
org.apache.httpcomponents:httpcore:4.4.16 org.apache.mina:mina-core:2.2.4
org.apache.nifi:nifi-avro-record-utils:2.3.0 org.apache.nifi:nifi-bin-manager:2.3.0 org.apache.nifi:nifi-calcite-utils:2.3.0
org.apache.nifi:nifi-database-utils:2.3.0 org.apache.nifi:nifi-event-listen:2.3.0 org.apache.nifi:nifi-event-put:2.3.0
org.apache.nifi:nifi-event-transport:2.3.0 org.apache.nifi:nifi-expression-language:2.3.0
org.apache.nifi:nifi-file-transfer:2.3.0 org.apache.nifi:nifi-flowfile-packager:2.3.0
org.apache.nifi:nifi-jetty-configuration:2.3.0 org.apache.nifi:nifi-json-schema-shared:2.3.0
org.apache.nifi:nifi-listed-entity:2.3.0 org.apache.nifi:nifi-migration-utils:2.3.0 org.apache.nifi:nifi-parameter:2.3.0
org.apache.nifi:nifi-put-pattern:2.3.0 org.apache.nifi:nifi-record-path:2.3.0 org.apache.nifi:nifi-security-cert:2.3.0
org.apache.nifi:nifi-standard-processors:2.3.0 org.apache.nifi:nifi-standard-record-utils:2.3.0
org.apache.nifi:nifi-syslog-utils:2.3.0 org.apache.nifi:nifi-uuid5:2.3.0 org.apache.nifi:nifi-xml-processing:2.3.0
org.apache.tika:tika-core:3.1.0 org.apache.tika:tika-parser-text-module:3.1.0 org.apiguardian:apiguardian-api:1.1.2
org.codehaus.janino:commons-compiler:3.1.12 org.codehaus.janino:janino:3.1.12 org.eclipse.angus:angus-activation:2.0.2
org.eclipse.angus:angus-mail:2.0.3 org.eclipse.jetty:jetty-rewrite:12.0.16 org.glassfish.jaxb:jaxb-core:4.0.5
org.glassfish.jaxb:jaxb-runtime:4.0.5 org.glassfish.jaxb:txw2:4.0.5 org.locationtech.jts.io:jts-io-common:1.19.0
org.locationtech.jts:jts-core:1.19.0 org.locationtech.proj4j:proj4j:1.2.2 org.tukaani:xz:1.10
org.xerial.snappy:snappy-java:1.1.10.7 org.xmlresolver:xmlresolver:5.2.2 org.xmlresolver:xmlresolver:5.2.2:data
org.yaml:snakeyaml:2.4
""".split()

# UpdateAttribute (it sets the use context in the example flow) and the runtime dependencies its parent NAR
# nifi-standard-shared-nar does not provide.
UPDATE_ATTRIBUTE_JARS = """
org.apache.nifi:nifi-update-attribute-processor:2.3.0 org.apache.nifi:nifi-update-attribute-model:2.3.0
org.apache.nifi:nifi-xml-processing:2.3.0 jakarta.xml.bind:jakarta.xml.bind-api:4.0.2 org.glassfish.jaxb:jaxb-runtime:4.0.5
org.glassfish.jaxb:jaxb-core:4.0.5 org.glassfish.jaxb:txw2:4.0.5 com.sun.istack:istack-commons-runtime:4.1.2
jakarta.activation:jakarta.activation-api:2.1.3 org.eclipse.angus:angus-activation:2.0.2
""".split()

# NARs built here from the jars above. They take the coordinates of NiFi's own NARs that hold these processors, so
# that a flow definition downloaded from the sandbox names the same bundles as one from a NiFi distribution.
BUILT_NARS = {
    "nifi-standard-nar": STANDARD_PROCESSORS_JARS,
    "nifi-update-attribute-nar": UPDATE_ATTRIBUTE_JARS,
}
BUILT_NAR_PARENT = "nifi-standard-shared-nar"

DEFAULT_REPOSITORY = "https://repo.maven.apache.org/maven2"


class Artifact:
    """A Maven coordinate group:artifact:version[:classifier] with a packaging extension."""

    def __init__(self, coordinate, extension):
        parts = coordinate.split(":")
        self.group, self.artifact, self.version = parts[:3]
        self.classifier = parts[3] if len(parts) > 3 else None
        self.extension = extension

    @property
    def file_name(self):
        classifier = f"-{self.classifier}" if self.classifier else ""
        return f"{self.artifact}-{self.version}{classifier}.{self.extension}"

    @property
    def path(self):
        return f"{self.group.replace('.', '/')}/{self.artifact}/{self.version}/{self.file_name}"


def _read_url(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def fetch(artifact, cache_dir, repository=DEFAULT_REPOSITORY):
    """Returns the cached file of an artifact, downloading and SHA-1-checking it first if it is not cached yet."""
    target = Path(cache_dir) / "maven" / artifact.path
    if target.is_file():
        return target
    url = f"{repository.rstrip('/')}/{artifact.path}"
    expected = _read_url(url + ".sha1").decode("ascii").split()[0].lower()
    content = _read_url(url)
    actual = hashlib.sha1(content).hexdigest()
    if actual != expected:
        raise RuntimeError(f"SHA-1 mismatch for {url}: expected {expected}, downloaded {actual}")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write under a private name and rename, so that concurrent runs and interrupted downloads never leave a
    # partial file under the final name.
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    partial.write_bytes(content)
    os.replace(partial, target)
    return target


def _link_or_copy(source, target):
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _nar_manifest(nar_id):
    return (f"Nar-Group: org.apache.nifi\nNar-Id: {nar_id}\nNar-Version: {NIFI_VERSION}\n"
            f"Nar-Dependency-Group: org.apache.nifi\nNar-Dependency-Id: {BUILT_NAR_PARENT}\n"
            f"Nar-Dependency-Version: {NIFI_VERSION}\nClone-During-Instance-Class-Loading: false\n")


def _build_nar(nar_id, jars, target, jar_tool):
    with tempfile.TemporaryDirectory() as work:
        bundled = Path(work, "META-INF", "bundled-dependencies")
        bundled.mkdir(parents=True)
        for jar in jars:
            _link_or_copy(jar, bundled / jar.name)
        manifest = Path(work, "manifest.txt")
        manifest.write_text(_nar_manifest(nar_id))
        # NiFi unpacks NARs entry by entry and needs directory entries before their files; the JDK's jar tool
        # writes them in that order, a plain zip of the folder does not guarantee it.
        subprocess.run([jar_tool, "--create", "--file", str(target), "--manifest", str(manifest),
                        "-C", work, "META-INF/bundled-dependencies"], check=True)


def assemble_lib(cache_dir, jar_tool, repository=DEFAULT_REPOSITORY, log=print):
    """Returns the cached lib/ of NiFi NIFI_VERSION, assembling it from Maven Central when it is missing or stale."""
    cache_dir = Path(cache_dir)
    copied = [Artifact(c, "jar") for c in ROOT_JARS] + [Artifact(c, "nar") for c in NARS]
    bundled = {nar_id: [Artifact(c, "jar") for c in jars] for nar_id, jars in BUILT_NARS.items()}
    artifacts = list({a.path: a for a in copied + [a for jars in bundled.values() for a in jars]}.values())
    recipe = [a.path for a in artifacts] + [_nar_manifest(nar_id) for nar_id in BUILT_NARS]
    stamp = hashlib.sha256("\n".join(recipe).encode()).hexdigest()
    lib = cache_dir / f"nifi-{NIFI_VERSION}" / "lib"
    stamp_file = lib / ".assembled"
    if stamp_file.is_file() and stamp_file.read_text() == stamp:
        return lib

    missing = [a for a in artifacts if not (cache_dir / "maven" / a.path).is_file()]
    if missing:
        log(f"Downloading {len(missing)} artifacts of NiFi {NIFI_VERSION} from {repository} "
            f"into {cache_dir / 'maven'} ...")
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        files = dict(zip((a.path for a in artifacts), pool.map(lambda a: fetch(a, cache_dir, repository), artifacts)))

    log(f"Assembling NiFi {NIFI_VERSION} in {lib.parent} ...")
    lib.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".lib-", dir=lib.parent))
    try:
        for artifact in copied:
            _link_or_copy(files[artifact.path], staging / artifact.file_name)
        for nar_id, jars in bundled.items():
            _build_nar(nar_id, [files[a.path] for a in jars], staging / f"{nar_id}-{NIFI_VERSION}.nar", jar_tool)
        (staging / ".assembled").write_text(stamp)
        if lib.exists():
            shutil.rmtree(lib)
        os.replace(staging, lib)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return lib

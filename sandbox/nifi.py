"""Runs one headless NiFi from an assembled lib/ and talks to its REST API.

An instance lives in a home directory that holds its configuration, repositories, logs and the extension NARs it was
given. It listens on 127.0.0.1 over plain HTTP without authentication: a sandbox for one person on one machine, never a
production setup.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

PROPERTIES = """\
nifi.flow.configuration.file=./conf/flow.json.gz
nifi.flow.configuration.archive.enabled=false
nifi.flowcontroller.autoResumeState=true
nifi.flowcontroller.graceful.shutdown.period=10 sec
nifi.flowservice.writedelay.interval=500 ms
nifi.administrative.yield.duration=30 sec
nifi.bored.yield.duration=10 millis
nifi.authorizer.configuration.file=./conf/authorizers.xml
nifi.login.identity.provider.configuration.file=./conf/login-identity-providers.xml
nifi.ui.banner.text=nifi-publicdata sandbox (loopback only, not for production)
nifi.nar.library.directory={lib}
nifi.nar.library.directory.installed=./lib
nifi.nar.library.autoload.directory=./extensions
nifi.nar.working.directory=./work/nar/
nifi.nar.unpack.uber.jar=false
nifi.upload.working.directory=./work/uploads
nifi.python.working.directory=./work/python
nifi.state.management.configuration.file=./conf/state-management.xml
nifi.state.management.provider.local=local-provider
nifi.state.management.embedded.zookeeper.start=false
nifi.database.directory=./database_repository
nifi.flowfile.repository.implementation=org.apache.nifi.controller.repository.WriteAheadFlowFileRepository
nifi.flowfile.repository.wal.implementation=org.apache.nifi.wali.SequentialAccessWriteAheadLog
nifi.flowfile.repository.directory=./flowfile_repository
nifi.flowfile.repository.checkpoint.interval=20 secs
nifi.swap.manager.implementation=org.apache.nifi.controller.FileSystemSwapManager
nifi.queue.swap.threshold=20000
nifi.content.repository.implementation=org.apache.nifi.controller.repository.FileSystemRepository
nifi.content.claim.max.appendable.size=50 KB
nifi.content.repository.directory.default=./content_repository
nifi.content.repository.archive.enabled=false
nifi.provenance.repository.implementation=org.apache.nifi.provenance.WriteAheadProvenanceRepository
nifi.provenance.repository.directory.default=./provenance_repository
nifi.provenance.repository.max.storage.time=1 days
nifi.provenance.repository.max.storage.size=1 GB
nifi.provenance.repository.rollover.time=10 secs
nifi.provenance.repository.rollover.size=100 MB
nifi.provenance.repository.query.threads=2
nifi.provenance.repository.index.threads=2
nifi.provenance.repository.compress.on.rollover=true
nifi.provenance.repository.indexed.fields=EventType, FlowFileUUID, Filename, ProcessorID, Relationship
nifi.provenance.repository.index.shard.size=500 MB
nifi.provenance.repository.max.attribute.length=65536
nifi.provenance.repository.concurrent.merge.threads=2
nifi.provenance.repository.buffer.size=100000
nifi.components.status.repository.implementation=org.apache.nifi.controller.status.history.VolatileComponentStatusRepository
nifi.components.status.repository.buffer.size=1440
nifi.components.status.snapshot.frequency=1 min
nifi.nar.persistence.provider.implementation=org.apache.nifi.nar.StandardNarPersistenceProvider
nifi.nar.persistence.provider.properties.directory=./nar_repository
nifi.asset.manager.implementation=org.apache.nifi.asset.StandardAssetManager
nifi.asset.manager.properties.directory=./assets
nifi.remote.input.host=127.0.0.1
nifi.remote.input.secure=false
nifi.remote.input.http.enabled=false
nifi.web.http.host=127.0.0.1
nifi.web.http.port={port}
nifi.web.https.host=
nifi.web.https.port=
nifi.web.jetty.working.directory=./work/jetty
nifi.web.jetty.threads=50
nifi.web.max.header.size=16 KB
nifi.web.max.requests.per.second=30000
nifi.web.request.timeout=60 secs
nifi.web.should.send.server.version=true
nifi.sensitive.props.key={sensitive_props_key}
nifi.sensitive.props.algorithm=NIFI_PBKDF2_AES_GCM_256
nifi.security.user.authorizer=
nifi.security.allow.anonymous.authentication=false
nifi.security.user.login.identity.provider=
nifi.cluster.is.node=false
nifi.cluster.protocol.is.secure=false
nifi.analytics.predict.enabled=false
nifi.diagnostics.on.shutdown.enabled=false
nifi.performance.tracking.percentage=0
"""

STATE_MANAGEMENT = """\
<stateManagement>
    <local-provider>
        <id>local-provider</id>
        <class>org.apache.nifi.controller.state.providers.local.WriteAheadLocalStateProvider</class>
        <property name="Directory">./state/local</property>
        <property name="Always Sync">false</property>
        <property name="Partitions">16</property>
        <property name="Checkpoint Interval">2 mins</property>
    </local-provider>
</stateManagement>
"""

LOGBACK = """\
<?xml version="1.0" encoding="UTF-8"?>
<configuration>
    <contextListener class="ch.qos.logback.classic.jul.LevelChangePropagator">
        <resetJUL>true</resetJUL>
    </contextListener>
    <appender name="APP_FILE" class="ch.qos.logback.core.FileAppender">
        <file>${org.apache.nifi.bootstrap.config.log.dir}/nifi-app.log</file>
        <encoder><pattern>%date %level [%thread] %logger{40} %msg%n</pattern></encoder>
    </appender>
    <logger name="org.apache.nifi" level="INFO"/>
    <logger name="org.apache.nifi.web.security" level="WARN"/>
    <logger name="org.apache.nifi.web.server.RequestLog" level="WARN"/>
    <logger name="org.springframework" level="ERROR"/>
    <logger name="org.eclipse.jetty.annotations.AnnotationParser" level="ERROR"/>
    <logger name="deprecation" level="OFF"/>
    <root level="INFO"><appender-ref ref="APP_FILE"/></root>
</configuration>
"""


def free_port():
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NiFiError(Exception):
    pass


class NiFi:
    """One NiFi process: its home directory, its ports, and how to start, probe and stop it."""

    def __init__(self, home, lib, java_home, port, management_port, heap="1g", jvm_args=()):
        self.home = Path(home).resolve()
        self.lib = Path(lib)
        self.java_home = Path(java_home)
        self.port = port
        self.management_port = management_port
        self.heap = heap
        # More JVM options, e.g. a system property the flow's expression language reads (${name})
        self.jvm_args = list(jvm_args)
        self.pid_file = self.home / "nifi.pid"
        self.log_file = self.home / "logs" / "nifi-app.log"
        self.ui_url = f"http://127.0.0.1:{port}/nifi/"
        self.api = Rest(f"http://127.0.0.1:{port}/nifi-api")

    def pid(self):
        """The pid of this home's NiFi if it runs, else None. A pid file left by a crashed run or a pid that the
        system has since given to another program does not count: the process must be a NiFi started on this home."""
        try:
            pid = int(self.pid_file.read_text().strip())
            command = subprocess.run(["ps", "-p", str(pid), "-o", "command="], capture_output=True, text=True).stdout
        except (OSError, ValueError):
            return None
        return pid if f"-Dnifi.properties.file.path={self.home}/conf/nifi.properties" in command else None

    def reset(self):
        """Empties the home: no flow, no repositories, no logs, no extensions. Refuses while NiFi runs there."""
        if self.pid():
            raise NiFiError(f"NiFi is running on {self.home}; stop it first")
        if self.home.exists():
            shutil.rmtree(self.home)
        for directory in ("conf", "lib", "extensions", "logs"):
            (self.home / directory).mkdir(parents=True)

    def install(self, nar):
        """Copies a NAR into the home's lib/, which NiFi loads at start. (Its extensions/ directory, watched while NiFi
        runs, stays empty for NARs a user adds by hand.)"""
        shutil.copyfile(nar, self.home / "lib" / Path(nar).name)

    def _configure(self):
        conf = self.home / "conf"
        properties = conf / "nifi.properties"
        if not properties.exists():
            # The key that encrypts sensitive property values in this home's flow; random per home.
            properties.write_text(PROPERTIES.format(lib=self.lib, port=self.port,
                                                    sensitive_props_key=secrets.token_urlsafe(24)))
        (conf / "state-management.xml").write_text(STATE_MANAGEMENT)
        (conf / "logback.xml").write_text(LOGBACK)

    def start(self, timeout=300):
        """Starts NiFi in the background and returns once its REST API answers; stops it again if it never does."""
        if self.pid():
            raise NiFiError(f"NiFi is already running on {self.home} (pid {self.pid()})")
        self._configure()
        java = self.java_home / "bin" / "java"
        class_path = os.pathsep.join([str(jar) for jar in sorted(self.lib.glob("*.jar"))] + [str(self.home / "conf")])
        command = [str(java), "-Xms256m", f"-Xmx{self.heap}", "-Djava.awt.headless=true",
                   "-Djava.net.preferIPv4Stack=true",
                   "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                   f"-Dnifi.properties.file.path={self.home}/conf/nifi.properties",
                   f"-Dorg.apache.nifi.bootstrap.config.log.dir={self.home}/logs",
                   f"-Dorg.apache.nifi.management.server.address=127.0.0.1:{self.management_port}",
                   *self.jvm_args, "-cp", class_path, "org.apache.nifi.NiFi"]
        with open(self.home / "logs" / "stdout.log", "ab") as out:
            # A session of its own: NiFi outlives this script and does not get the terminal's Ctrl-C.
            process = subprocess.Popen(command, cwd=self.home, stdin=subprocess.DEVNULL, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.pid_file.write_text(str(process.pid))
        try:
            self._wait_ready(process, timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, process, timeout):
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise NiFiError(f"NiFi exited with code {process.returncode} while starting:\n{self.log_tail()}")
            try:
                self.api.get("/flow/about")
                return
            except (OSError, NiFiError):
                pass
            if time.monotonic() > deadline:
                raise NiFiError(f"NiFi's REST API did not answer within {timeout} s:\n{self.log_tail()}")
            time.sleep(1)

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout=60):
        """Stops NiFi gracefully (SIGTERM runs its shutdown hook), killing it if it has not ended within timeout
        seconds. Returns the pid it stopped, or None if NiFi was not running."""
        pid = self.pid()
        if pid:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.pid() and time.monotonic() < deadline:
                time.sleep(0.5)
            if self.pid():
                os.kill(pid, signal.SIGKILL)
                while self.pid():
                    time.sleep(0.2)
        self.pid_file.unlink(missing_ok=True)
        return pid


class Rest:
    """A small JSON client for NiFi's REST API."""

    def __init__(self, base):
        self.base = base
        self.client_id = str(uuid.uuid4())

    def request(self, method, path, body=None, content_type="application/json", raw=False):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": content_type, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                payload = response.read()
        except urllib.error.HTTPError as e:
            raise NiFiError(f"{method} {path} answered {e.code}: {e.read().decode(errors='replace')}") from None
        if raw:
            return payload
        return json.loads(payload) if payload else None

    def get(self, path, raw=False):
        return self.request("GET", path, raw=raw)

    def post(self, path, body):
        return self.request("POST", path, body)

    def put(self, path, body):
        return self.request("PUT", path, body)

    def delete(self, path):
        return self.request("DELETE", path)

    def upload(self, path, fields, file_name, content):
        """POSTs a multipart/form-data request: text fields plus one file part named "file"."""
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
                     f'Content-Type: application/json\r\n\r\n'.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}")

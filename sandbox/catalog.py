"""The sandbox's resource catalog (资源目录) and its disclosure report (授权运营情况披露).

The catalog's tables (docs/catalog-tables.sql) live in an H2 database, filled from docs/examples/catalog.json through
`publicdata catalog sql`. NiFi reads them through a DBCPConnectionPool and DatabasePublicDataCatalog. NiFi 2's
DBCPConnectionPool refuses H2's own JDBC URLs and driver (H2 URLs can run code), so the sandbox serves the H2 database
over PostgreSQL's wire protocol (H2's `Server -pg`, on 127.0.0.1, local connections only) and the pool connects with
the PostgreSQL JDBC driver, exactly as it would to a PostgreSQL catalog database. After a run, the sandbox writes the
disclosure report with `publicdata report` from the lineage chain, verified against the head in NiFi's state.
"""

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import central

PROJECT = Path(__file__).resolve().parent.parent
CATALOG_JSON = PROJECT / "docs" / "examples" / "catalog.json"
DDL = PROJECT / "docs" / "catalog-tables.sql"
H2 = "com.h2database:h2:2.5.252"
POSTGRESQL_DRIVER = "org.postgresql:postgresql:42.7.5"
DATABASE = "catalog"
USER = "publicdata"


def drivers(cache_dir, repository=central.DEFAULT_REPOSITORY):
    """The H2 jar (database and server) and the PostgreSQL JDBC driver jar (for NiFi), from Maven Central (cached)."""
    return (central.fetch(central.Artifact(H2, "jar"), cache_dir, repository),
            central.fetch(central.Artifact(POSTGRESQL_DRIVER, "jar"), cache_dir, repository))


def _run(command, what):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({result.returncode}): {result.stdout}{result.stderr}")
    return result.stdout


class CatalogServer:
    """The H2 database holding the catalog tables, in a folder of its own, and the process serving it over
    PostgreSQL's protocol on 127.0.0.1."""

    def __init__(self, folder, java, h2_jar):
        self.folder = Path(folder).resolve()
        self.java = Path(java)
        self.h2_jar = Path(h2_jar)
        self.pid_file = self.folder / "server.pid"
        self.port_file = self.folder / "server.port"

    def create(self, cli_jar, password):
        """A new database with the tables, filled with the sample catalog; in H2's PostgreSQL mode, as the server
        opens it."""
        if self.pid():
            raise RuntimeError(f"The catalog server on {self.folder} is running; stop it first")
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob(f"{DATABASE}.*.db"):
            old.unlink()
        fill = self.folder / "fill.sql"
        fill.write_text(_run([self.java, "-jar", cli_jar, "catalog", "sql", CATALOG_JSON], "publicdata catalog sql"), encoding="utf-8")
        url = f"jdbc:h2:file:{self.folder / DATABASE};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
        for script in (DDL, fill):
            # The JDK reads the scripts as UTF-8, its default charset since Java 18
            _run([self.java, "-cp", self.h2_jar, "org.h2.tools.RunScript", "-url", url, "-user", USER, "-password", password,
                  "-script", script], f"H2 RunScript {script.name}")

    def start(self, port, timeout=30):
        """Serves the database on 127.0.0.1:port until stop(); returns its JDBC URL for the PostgreSQL driver."""
        log = open(self.folder / "server.log", "w")
        process = subprocess.Popen([str(self.java), "-cp", str(self.h2_jar), "org.h2.tools.Server", "-pg", "-pgPort", str(port),
                                    "-baseDir", str(self.folder), "-ifExists"], cwd=self.folder, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.pid_file.write_text(str(process.pid))
        self.port_file.write_text(str(port))
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return self.url()
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"The catalog server did not start: {(self.folder / 'server.log').read_text()}")
                time.sleep(0.2)

    def url(self):
        # The H2 server says it is PostgreSQL 8.2: the driver must not send what only older servers get
        return f"jdbc:postgresql://127.0.0.1:{self.port_file.read_text().strip()}/{DATABASE}?assumeMinServerVersion=9.0"

    def pid(self):
        try:
            pid = int(self.pid_file.read_text().strip())
            command = subprocess.run(["ps", "-p", str(pid), "-o", "command="], capture_output=True, text=True).stdout
        except (OSError, ValueError):
            return None
        return pid if f"-baseDir {self.folder}" in command else None

    def stop(self):
        pid = self.pid()
        if pid:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while self.pid() and time.monotonic() < deadline:
                time.sleep(0.2)
            if self.pid():
                os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return pid


def write_report(java, cli_jar, postgresql_driver, grants, issuer_keys, catalog_url, password_file, lineage, head, out,
                 revocation_list=None):
    """Runs `publicdata report` on the catalog tables NiFi read (through the same server, with the PostgreSQL driver on the
    command line's class path); returns (exit code, what it printed)."""
    chain, last = head
    command = [java, "-cp", f"{cli_jar}{os.pathsep}{postgresql_driver}", "io.publicdata.nifi.cli.PublicDataCli", "report",
               "--grants", grants, *[part for key in issuer_keys for part in ("--issuer-key", key)],
               *(["--revocation-list", revocation_list] if revocation_list else []),
               "--catalog-jdbc", catalog_url, "--catalog-user", USER, "--catalog-password-file", password_file,
               "--lineage", lineage, "--head", f"{chain}={last}", "--out", out]
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    return result.returncode, (result.stdout + result.stderr).strip()

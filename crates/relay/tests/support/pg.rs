//! A throw-away PostgreSQL cluster for a test: `initdb` into a temporary directory, its
//! own port on 127.0.0.1 and its socket in that directory, stopped (and deleted) on drop.
//! Nothing on the machine is changed. PostgreSQL refuses to run as root, so when the tests
//! run as root (CI, containers) the cluster runs as the `postgres` user (or `nobody`).
//!
//! Missing server binaries are an error, never a skip: `scripts/setup.sh --test`
//! installs them, and a suite that quietly ran nothing would prove nothing.

use std::os::unix::fs::chown;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

use super::TestResult;

pub struct PgCluster {
    dir: TempDir,
    bin: PathBuf,
    owner: Option<(u32, u32)>,
    pub port: u16,
}

/// Where `initdb` and `pg_ctl` are: `BIJEEN_PG_BIN`, else Debian's newest
/// `/usr/lib/postgresql/N/bin`, else the directory of `pg_ctl` on PATH.
fn find_bin() -> TestResult<PathBuf> {
    if let Some(dir) = std::env::var_os("BIJEEN_PG_BIN") {
        let dir = PathBuf::from(dir);
        if dir.join("initdb").exists() {
            return Ok(dir);
        }
        return Err(format!("BIJEEN_PG_BIN={} has no initdb", dir.display()).into());
    }
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    debian.sort();
    if let Some((_, bin)) = debian.pop() {
        return Ok(bin);
    }
    for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
        if dir.join("initdb").exists() && dir.join("pg_ctl").exists() {
            return Ok(dir);
        }
    }
    Err(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: run `scripts/setup.sh --test` \
         (installs Debian's postgresql) or point BIJEEN_PG_BIN at their directory"
            .into(),
    )
}

/// uid and gid of an unprivileged account from /etc/passwd.
fn unprivileged_user() -> TestResult<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd")?;
    for name in ["postgres", "nobody"] {
        for line in passwd.lines() {
            let fields: Vec<&str> = line.split(':').collect();
            if fields.len() > 3 && fields[0] == name {
                return Ok((fields[2].parse()?, fields[3].parse()?));
            }
        }
    }
    Err(
        "running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as"
            .into(),
    )
}

fn free_port() -> TestResult<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl PgCluster {
    pub fn start() -> TestResult<PgCluster> {
        let bin = find_bin()?;
        let dir = tempfile::Builder::new().prefix("bijeen-pg-").tempdir()?;
        let owner = if rustix::process::geteuid().is_root() {
            let (uid, gid) = unprivileged_user()?;
            chown(dir.path(), Some(uid), Some(gid))?;
            Some((uid, gid))
        } else {
            None
        };
        let mut cluster = PgCluster {
            dir,
            bin,
            owner,
            port: 0,
        };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                "bijeen".as_ref(),
                "--auth=trust".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--no-sync".as_ref(),
                "--no-instructions".as_ref(),
            ],
        )?;
        // A port taken between here and the start is retried with another.
        let mut last = String::new();
        for _ in 0..5 {
            cluster.port = free_port()?;
            let options = format!(
                "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={} \
                 -c fsync=off -c max_connections=300",
                cluster.port,
                cluster.dir.path().display()
            );
            let log = cluster.dir.path().join("postgres.log");
            match cluster.run(
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-l".as_ref(),
                    log.as_os_str(),
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "60".as_ref(),
                    "-o".as_ref(),
                    options.as_ref(),
                    "start".as_ref(),
                ],
            ) {
                Ok(()) => return Ok(cluster),
                Err(e) => {
                    last = format!("{e}\n{}", std::fs::read_to_string(&log).unwrap_or_default())
                }
            }
        }
        Err(format!("PostgreSQL did not start: {last}").into())
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, tool: &str, args: &[&std::ffi::OsStr]) -> TestResult {
        let mut command = Command::new(self.bin.join(tool));
        command
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some((uid, gid)) = self.owner {
            command.uid(uid).gid(gid);
        }
        let out = command.output()?;
        if !out.status.success() {
            return Err(format!(
                "{tool} failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(())
    }

    /// The URL of the cluster's default database.
    pub fn url(&self) -> String {
        format!("postgres://bijeen@127.0.0.1:{}/postgres", self.port)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let data = self.data();
        // Immediate: a test's cluster holds nothing worth a clean checkpoint.
        let _ = self.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-m".as_ref(),
                "immediate".as_ref(),
                "-w".as_ref(),
                "stop".as_ref(),
            ],
        );
    }
}

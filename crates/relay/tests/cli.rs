//! The binary as the run script uses it: flags, exit codes, the startup line and signals.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::TestResult;

fn relay() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bijeen-relay"));
    // The developer's own settings must not leak into the tests.
    for (var, _) in std::env::vars_os() {
        if var.to_string_lossy().starts_with("BIJEEN_") {
            command.env_remove(var);
        }
    }
    command.env_remove("RUST_LOG");
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn unknown_flag_is_rejected_with_usage() -> TestResult {
    let output = relay().arg("--prot").arg("9000").output()?;
    assert!(!output.status.success());
    let stderr = stderr(&output);
    assert!(stderr.contains("unexpected argument '--prot'"), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
    Ok(())
}

#[test]
fn bad_port_names_the_flag() -> TestResult {
    let output = relay().args(["--port", "eighty"]).output()?;
    assert!(!output.status.success());
    let stderr = stderr(&output);
    assert!(stderr.contains("--port"), "{stderr}");
    assert!(stderr.contains("eighty"), "{stderr}");
    Ok(())
}

#[test]
fn env_vars_are_read() -> TestResult {
    let output = relay().env("BIJEEN_PORT", "not-a-port").output()?;
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not-a-port"),
        "{}",
        stderr(&output)
    );
    Ok(())
}

#[test]
fn missing_index_is_a_clear_failure() -> TestResult {
    let dist = tempfile::tempdir()?;
    let data = tempfile::tempdir()?;
    let output = relay()
        .arg("--dist")
        .arg(dist.path())
        .arg("--data-dir")
        .arg(data.path())
        .args(["--host", "127.0.0.1", "--port", "0"])
        .output()?;
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    assert!(stderr.contains("index.html not found"), "{stderr}");
    assert!(stderr.contains("--dist"), "{stderr}");
    Ok(())
}

#[test]
fn one_tls_file_without_the_other_is_a_clear_failure() -> TestResult {
    let dist = tempfile::tempdir()?;
    common::write_dist(dist.path())?;
    let data = tempfile::tempdir()?;
    let output = relay()
        .arg("--dist")
        .arg(dist.path())
        .arg("--data-dir")
        .arg(data.path())
        .args(["--host", "127.0.0.1", "--port", "0"])
        .env("BIJEEN_TLS_CERT", dist.path().join("cert.pem"))
        .output()?;
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    assert!(stderr.contains("--tls-key (BIJEEN_TLS_KEY)"), "{stderr}");
    Ok(())
}

#[test]
fn bad_durations_and_origins_name_the_flag() -> TestResult {
    for (args, expect) in [
        (["--header-timeout", "soon"], ["--header-timeout", "10s"]),
        (
            ["--allowed-origin", "bijeen.example"],
            ["--allowed-origin", "https://"],
        ),
        (
            ["--trusted-proxy", "proxy.local"],
            ["--trusted-proxy", "proxy.local"],
        ),
    ] {
        let output = relay().args(args).output()?;
        assert!(!output.status.success(), "{args:?}");
        let stderr = stderr(&output);
        for text in expect {
            assert!(stderr.contains(text), "{args:?}: {stderr}");
        }
    }
    Ok(())
}

/// Kills the child if the test fails before it exits on its own.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[cfg(unix)]
#[test]
fn prints_the_link_and_stops_on_sigterm() -> TestResult {
    let dist = tempfile::tempdir()?;
    common::write_dist(dist.path())?;
    let data = tempfile::tempdir()?;
    // Env vars rather than flags, to cover that path too.
    let child = relay()
        .env("BIJEEN_DIST", dist.path())
        .env("BIJEEN_DATA_DIR", data.path())
        .env("BIJEEN_HOST", "127.0.0.1")
        .env("BIJEEN_PORT", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut child = Guard(child);

    let stdout = child.0.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let url = line
        .trim_end()
        .strip_prefix("Bijeen is running: ")
        .ok_or_else(|| format!("unexpected first line: {line:?}"))?;
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix('/'))
        .ok_or_else(|| format!("unexpected url: {url}"))?
        .parse()?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let response = runtime.block_on(common::get(
        (std::net::Ipv4Addr::LOCALHOST, port).into(),
        "/healthz",
        &[],
    ))?;
    assert_eq!(response.status(), 200);

    let pid = child.0.id().to_string();
    let kill = Command::new("kill").args(["-TERM", &pid]).status()?;
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(status) = child.0.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            return Err("relay still running 5 s after SIGTERM".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "exit status after SIGTERM: {status}");
    Ok(())
}

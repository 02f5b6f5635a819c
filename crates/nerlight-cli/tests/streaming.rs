//! `nerlight --jsonl` is a stream filter: each line's answer comes before the next line is read,
//! and its memory does not grow with the input (it used to read the whole input first, which
//! also capped a JSONL input at `--max-input-bytes`).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_nerlight"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run nerlight")
}

/// The output lines of `child`, read on a thread, so a test can wait for one with a timeout.
fn output_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

const WAIT: Duration = Duration::from_secs(60);

#[test]
fn each_line_is_answered_before_the_next_is_read() {
    let mut child = spawn(&["--rules-only", "--jsonl"]);
    let lines = output_lines(&mut child);
    let mut stdin = child.stdin.take().unwrap();
    for (input, email) in [
        ("\"mail a@b.org\"\n", "a@b.org"),
        ("\"or x@y.org\"\n", "x@y.org"),
    ] {
        stdin.write_all(input.as_bytes()).unwrap();
        stdin.flush().unwrap();
        let answer = lines
            .recv_timeout(WAIT)
            .expect("an answer while the input is open");
        let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(v[0]["text"].as_str(), Some(email), "{answer}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

/// Peak resident memory (VmHWM, in kB) of `nerlight --jsonl` after it has answered `lines`
/// lines of `line`, read while its input is still open.
#[cfg(target_os = "linux")]
fn peak_rss_kb(line: &'static str, lines: usize) -> u64 {
    let mut child = spawn(&["--rules-only", "--jsonl"]);
    let answers = output_lines(&mut child);
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let mut w = std::io::BufWriter::new(&mut stdin);
        for _ in 0..lines {
            w.write_all(line.as_bytes()).unwrap();
        }
        w.flush().unwrap();
        drop(w);
        stdin
    });
    for n in 0..lines {
        answers
            .recv_timeout(WAIT)
            .unwrap_or_else(|e| panic!("answer {n} of {lines}: {e}"));
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    drop(writer.join().unwrap());
    assert!(child.wait().unwrap().success());
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

/// 40 MB of JSONL peak within 16 MB of 4 MB of it (reading the whole input first, as before,
/// peaked 36+ MB higher).
#[cfg(target_os = "linux")]
#[test]
fn memory_does_not_grow_with_the_input() {
    // 1 KB a line: mostly spaces, which the engine skips cheaply even in a debug build.
    const LINE: &str = concat!("\"mail a@b.org", "                                                                                                                                ", "\"\n");
    let line: &'static str = Box::leak(LINE.replace(' ', "        ").into_boxed_str());
    let per_mb = 1_000_000 / line.len();
    let small = peak_rss_kb(line, 4 * per_mb);
    let large = peak_rss_kb(line, 40 * per_mb);
    assert!(
        large < small + 16_000,
        "peak RSS {large} kB for 40 MB of JSONL against {small} kB for 4 MB"
    );
}

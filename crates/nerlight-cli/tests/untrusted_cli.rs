//! The command line on bad input: one-line messages on standard error and a non-zero exit, never
//! a panic; and JSONL written by JavaScript (lone surrogates included) read with JS offsets.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn nerlight(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nerlight"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run nerlight");
    // The command may exit (on a bad flag) before reading its input: ignore a broken pipe.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

/// Fails with exactly one line on standard error, starting `nerlight: ` and containing `needle`.
fn fails_with(args: &[&str], stdin: &[u8], needle: &str) {
    let out = nerlight(args, stdin);
    let err = String::from_utf8(out.stderr).expect("UTF-8 message");
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert!(
        err.starts_with("nerlight: ") && err.ends_with('\n') && err.lines().count() == 1,
        "{args:?}: not one line: {err:?}"
    );
    assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

fn temp_file(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("nerlight-untrusted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn invalid_utf8_is_reported_with_its_offset() {
    fails_with(
        &["--rules-only"],
        b"ok \xff\xfe",
        "standard input is not valid UTF-8 (invalid byte at offset 3)",
    );
    let file = temp_file("latin1.txt", b"caf\xe9");
    fails_with(&["--rules-only", &file], b"", "is not valid UTF-8");
    fails_with(
        &["--rules-only", "--jsonl"],
        b"\"fine\"\n\"\xc3\x28\"\n",
        "standard input line 2 is not valid UTF-8",
    );
}

#[test]
fn missing_files_are_named() {
    fails_with(
        &["/nonexistent/input.txt"],
        b"",
        "cannot read /nonexistent/input.txt",
    );
    fails_with(
        &["--model", "/nonexistent/m.nlm"],
        b"x",
        "cannot read model /nonexistent/m.nlm",
    );
}

#[test]
fn bad_model_files_are_refused() {
    for (name, bytes) in [
        ("empty.nlm", &b""[..]),
        ("garbage.nlm", &b"this is not a model at all, just text"[..]),
        (
            "header-only.nlm",
            &b"NERLIGHT\x01\x00\x00\x00\xff\xff\xff\x7f\x00\x00\x00\x00"[..],
        ),
    ] {
        let path = temp_file(name, bytes);
        fails_with(&["--model", &path], b"text", &format!("bad model {path}: "));
    }
    let dir = std::env::temp_dir();
    fails_with(
        &["--model", dir.to_str().unwrap()],
        b"x",
        "cannot read model",
    );
}

#[test]
fn bad_flags_are_named() {
    fails_with(&["--colour"], b"", "unknown option \"--colour\"");
    fails_with(
        &["--offsets", "lines"],
        b"",
        "unknown offset unit \"lines\"",
    );
    fails_with(&["--offsets"], b"", "--offsets needs a value");
    fails_with(&["--model"], b"", "--model needs a value");
    fails_with(&["a.txt", "b.txt"], b"", "more than one input file");
    fails_with(
        &["--rules-only", "--model", "m.nlm"],
        b"",
        "cannot be used together",
    );
}

#[test]
fn bad_jsonl_lines_are_numbered() {
    fails_with(
        &["--rules-only", "--jsonl"],
        b"\"one\"\nnot json\n",
        "standard input line 2: expected a JSON string",
    );
    fails_with(
        &["--rules-only", "--jsonl"],
        b"{\"text\": \"an object\"}\n",
        "standard input line 1: expected a JSON string",
    );
    fails_with(
        &["--rules-only", "--jsonl"],
        b"\"unterminated\n",
        "standard input line 1",
    );
}

/// `JSON.stringify` keeps a JS string's lone surrogates as escapes; they are read as U+FFFD, one
/// UTF-16 unit like the surrogate, so the offsets printed index the original JS string.
#[test]
fn jsonl_from_javascript_with_lone_surrogates() {
    let input =
        b"\"\\ud83d mail a@b.org\"\n\"pair \\ud83d\\ude00 a@b.org \\udc00\\\\ud800 x@y.org\"\n";
    let out = nerlight(&["--rules-only", "--jsonl"], input);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let spans = |v: &serde_json::Value| -> Vec<(u64, u64, String)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let n = |k: &str| e[k].as_u64().unwrap();
                (
                    n("start"),
                    n("end"),
                    e["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // "\ud83d mail " is 7 units; in the second line "pair 😀 " is 8, and the escaped
    // backslash stays the literal text `\ud800` (6 units) rather than a surrogate.
    assert_eq!(spans(&lines[0]), [(7, 14, "a@b.org".to_string())]);
    assert_eq!(
        spans(&lines[1]),
        [
            (8, 15, "a@b.org".to_string()),
            (24, 31, "x@y.org".to_string())
        ]
    );
}

#[test]
fn no_panic_on_any_byte() {
    let all: Vec<u8> = (0..=255).collect();
    let out = nerlight(&["--rules-only"], &all);
    assert_eq!(out.status.code(), Some(1));
    let text: Vec<u8> = (0..128).collect();
    for unit in ["utf16", "codepoint", "byte"] {
        let out = nerlight(&["--rules-only", "--offsets", unit], &text);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Editors on Windows save UTF-8 with a byte order mark; it is not text, in either mode, and
/// offsets count from after it.
#[test]
fn a_leading_byte_order_mark_is_dropped() {
    let out = nerlight(&["--rules-only"], b"\xEF\xBB\xBFmail a@b.org");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v[0]["start"].as_u64(), v[0]["text"].as_str()),
        (Some(5), Some("a@b.org"))
    );

    let out = nerlight(
        &["--rules-only", "--jsonl"],
        b"\xEF\xBB\xBF\"mail a@b.org\"\n\"x@y.org\"\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0][0]["start"].as_u64(), Some(5));
    // Only a leading mark is dropped: one inside the text stays a character (one UTF-16 unit).
    let out = nerlight(&["--rules-only"], "x\u{FEFF} a@b.org".as_bytes());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["start"].as_u64(), Some(3));
}

#[test]
fn input_longer_than_the_cap_is_refused() {
    let ok = nerlight(
        &["--rules-only", "--max-input-bytes", "12"],
        b"mail a@b.org",
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    fails_with(
        &["--rules-only", "--max-input-bytes=11"],
        b"mail a@b.org",
        "standard input is longer than 11 bytes (raise the limit with --max-input-bytes)",
    );
    let file = temp_file("twelve.txt", b"mail a@b.org");
    fails_with(
        &["--rules-only", "--jsonl", "--max-input-bytes", "11", &file],
        b"",
        &format!("{file} line 1 is longer than 11 bytes"),
    );
    fails_with(
        &["--max-input-bytes", "lots"],
        b"",
        "--max-input-bytes takes a number of bytes, not \"lots\"",
    );
}

/// An endless input stops at the default cap (100 MB) within seconds, as a file and as standard
/// input; without a cap it filled memory (1.9 GB in 5 s). Killed after 60 s so that a regression
/// fails instead of exhausting the machine.
#[test]
fn an_endless_input_stops_at_the_cap() {
    use std::time::{Duration, Instant};
    for from_stdin in [false, true] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_nerlight"));
        cmd.arg("--rules-only")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if from_stdin {
            cmd.stdin(std::fs::File::open("/dev/zero").unwrap());
        } else {
            cmd.arg("/dev/zero").stdin(Stdio::null());
        }
        let mut child = cmd.spawn().unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(60) {
                child.kill().unwrap();
                panic!("still reading /dev/zero after 60 s (from stdin: {from_stdin})");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("is longer than 100000000 bytes"), "{err}");
    }
}

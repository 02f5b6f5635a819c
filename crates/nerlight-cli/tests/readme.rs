//! The README's command-line examples (`$ echo '…' | nerlight …` followed by the output line)
//! print exactly what the README shows, so the figures in them cannot go stale.

use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    let readme = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let lines: Vec<&str> = readme.lines().collect();
    let mut checked = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix("$ echo '") else {
            continue;
        };
        let (input, command) = rest
            .split_once("' | nerlight")
            .unwrap_or_else(|| panic!("README line {}: not `$ echo '…' | nerlight …`", i + 1));
        let args: Vec<&str> = command.split_whitespace().collect();
        let expected = lines.get(i + 1).copied().unwrap_or_default();
        let mut child = Command::new(env!("CARGO_BIN_EXE_nerlight"))
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{input}\n").as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "README line {}", i + 1);
        assert_eq!(
            String::from_utf8(out.stdout).unwrap().trim_end(),
            expected,
            "README line {}: `nerlight{command}` prints something else",
            i + 1
        );
        checked += 1;
    }
    assert!(
        checked > 0,
        "no `$ echo '…' | nerlight …` example found in the README"
    );
}

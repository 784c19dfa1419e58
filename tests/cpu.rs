//! Whole-system tests of the CPU: the conformance corpus through the real
//! `xenact ppc-test`.

use std::process::Command;
use xenact_system_tests::{bin, repo_path};

#[test]
fn every_conformance_case_in_the_corpus_passes() {
    let dir = repo_path("tests/ppc");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "corpus files: {files:?}");
    let mut total = 0;
    for file in files {
        let cases = std::fs::read_to_string(&file).unwrap().lines().filter(|l| !l.trim().is_empty()).count();
        let out = Command::new(bin("xenact")).arg("ppc-test").arg(&file).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}:\n{stdout}{}", file.display(), String::from_utf8_lossy(&out.stderr));
        assert_eq!(stdout.lines().last(), Some(format!("{cases} passed, 0 failed").as_str()), "{}", file.display());
        total += cases;
    }
    assert!(total >= 600, "only {total} cases");
}

#[test]
fn a_case_with_a_wrong_expectation_fails_with_a_line_naming_it_and_exit_1() {
    let original = std::fs::read_to_string(repo_path("tests/ppc/integer.jsonl")).unwrap();
    let first = original.lines().next().unwrap();
    let mut case: serde_json::Value = serde_json::from_str(first).unwrap();
    let name = case["name"].as_str().unwrap().to_string();
    // Expect a value no instruction in the case produces.
    case["out"]["r31"] = serde_json::Value::String("0x1234567890ABCDEF".into());
    let dir = std::env::temp_dir().join(format!("xenact-ppc-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::fs::copy(repo_path("tests/ppc/bin/integer.bin"), dir.join("bin/integer.bin")).unwrap();
    std::fs::write(dir.join("wrong.jsonl"), format!("{case}\n{}\n", original.lines().nth(1).unwrap())).unwrap();
    let out = Command::new(bin("xenact")).arg("ppc-test").arg(dir.join("wrong.jsonl")).output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.lines().any(|l| l.contains(&name) && l.contains("r31")), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 passed, 1 failed"));
}
